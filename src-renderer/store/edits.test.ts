import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../src-shared/topology/validate.ts';
import { addTunnel, appendRoot, deleteRoot, deleteTunnel, moveRoot, numberOrText, replaceRoot, suggestRoot, tunnelsOf } from './edits.ts';

const root = (id: number, second: number, x?: number) => ({
  id,
  name: `c${id}`,
  internetAddress: `203.0.113.${id}`,
  overlay: `10.${second}.0.0/16`,
  maxClients: 100,
  ...(x === undefined ? {} : { position: { x, y: 5 } }),
});
const topology: Topology = { roots: [root(1, 1, 0), root(2, 2, 300), root(4, 3)], tunnels: [{ a: 1, b: 2 }, { a: 4, b: 1 }] };

describe('edits', () => {
  it('replaces a root in place and appends one at the end', () => {
    expect(replaceRoot(topology, 1, { ...root(2, 9) })).toEqual({ ...topology, roots: [root(1, 1, 0), root(2, 9), root(4, 3)] });
    expect((appendRoot(topology, root(5, 5)) as Topology).roots.map((r) => r.id)).toEqual([1, 2, 4, 5]);
  });

  it('deletes a root together with its tunnels', () => {
    expect(tunnelsOf(topology, 1)).toHaveLength(2);
    expect(deleteRoot(topology, 1)).toEqual({ roots: [root(2, 2, 300), root(4, 3)], tunnels: [] });
    expect(validateTopology(deleteRoot(topology, 1)).ok).toBe(true);
  });

  it.each([
    { a: 1, b: 2, left: [{ a: 4, b: 1 }] },
    { a: 2, b: 1, left: [{ a: 4, b: 1 }] },
    { a: 1, b: 4, left: [{ a: 1, b: 2 }] },
    { a: 2, b: 4, left: [{ a: 1, b: 2 }, { a: 4, b: 1 }] },
  ])('deletes tunnel $a–$b in either direction', ({ a, b, left }) => {
    expect(deleteTunnel(topology, a, b).tunnels).toEqual(left);
  });

  it('adds a tunnel as given, leaving duplicates for validation to report', () => {
    const result = validateTopology(addTunnel(topology, 2, 1));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.path).toBe('tunnels[2]');
  });

  it('moves a root to a rounded position', () => {
    expect(moveRoot(topology, 4, { x: 10.6, y: -3.2 }).roots[2]).toEqual({ ...root(4, 3), position: { x: 11, y: -3 } });
  });

  it('suggests the next id, a free overlay and a place to the right', () => {
    expect(suggestRoot(topology)).toEqual({
      id: 5,
      name: '',
      internetAddress: '',
      overlay: '10.4.0.0/16',
      maxClients: 100,
      position: { x: 560, y: 0 },
      cloud: { provider: 'existing' },
    });
    expect(suggestRoot({ roots: [], tunnels: [] })).toMatchObject({ id: 1, overlay: '10.1.0.0/16', position: { x: 0, y: 0 } });
  });

  it.each([
    ['250', 250],
    [' 7 ', 7],
    ['2.5', 2.5],
    ['-1', -1],
    ['', ''],
    ['abc', 'abc'],
    ['1e3', '1e3'],
  ])('numberOrText(%j) is %j', (text, want) => {
    expect(numberOrText(text)).toBe(want);
  });
});
