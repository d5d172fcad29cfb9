import { describe, expect, it } from 'vitest';
import { diffTopologies } from '../../src-shared/diff/diffTopologies.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { summarizeDiff } from './summarizeDiff.ts';

const root = (id: number, maxClients: number) => ({ id, name: `c${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients });
const empty: Topology = { roots: [], tunnels: [] };

describe('summarizeDiff', () => {
  it.each([
    { what: 'no change', before: empty, after: empty, want: 'nothing to deploy' },
    { what: 'one new root', before: empty, after: { roots: [root(1, 100)], tunnels: [] }, want: 'to deploy: +1 root, +1 leaf' },
    {
      what: 'removals and changes',
      before: { roots: [root(1, 250), root(2, 100)], tunnels: [{ a: 1, b: 2 }] },
      after: { roots: [root(1, 150)], tunnels: [] },
      want: 'to deploy: −1 root, ~1 root, −1 tunnel, −2 leaves, ~1 leaf',
    },
  ])('$what', ({ before, after, want }) => {
    expect(summarizeDiff(diffTopologies(before, after))).toBe(want);
  });
});
