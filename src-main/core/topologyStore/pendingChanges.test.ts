import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { makeRoot, validTopology } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { pendingChanges } from './pendingChanges.ts';

const none = { added: [], changed: [], moved: [], deleted: [] };

describe('pendingChanges', () => {
  it('counts everything pending as added until something is deployed', () => {
    const pending: Topology = { roots: [makeRoot(2), makeRoot(1)], tunnels: [{ a: 2, b: 1 }] };
    expect(pendingChanges(null, pending)).toEqual({
      deployed: false,
      roots: { ...none, added: [1, 2] },
      tunnels: { added: [{ a: 1, b: 2 }], deleted: [] },
      count: 3,
    });
  });

  it('tells added, changed, moved and deleted roots and tunnels apart, deleted ones whole as deployed', () => {
    const deployed: Topology = {
      roots: [makeRoot(1), makeRoot(2), makeRoot(3, { position: { x: 0, y: 0 } }), makeRoot(4), makeRoot(6)],
      tunnels: [{ a: 1, b: 2 }, { a: 4, b: 1 }, { a: 2, b: 3 }],
    };
    const pending: Topology = {
      roots: [
        makeRoot(1, { position: { x: 9, y: 9 } }),
        makeRoot(2, { maxClients: 40, position: { x: 1, y: 1 } }),
        makeRoot(3, { position: { x: 0, y: 0 }, cloud: { provider: 'existing', natted: false } }),
        makeRoot(5),
      ],
      tunnels: [{ a: 2, b: 1 }, { a: 5, b: 3 }, { a: 3, b: 2 }],
    };
    expect(pendingChanges(deployed, pending)).toEqual({
      deployed: true,
      roots: { added: [5], changed: [2], moved: [1], deleted: [makeRoot(4), makeRoot(6)] },
      tunnels: { added: [{ a: 3, b: 5 }], deleted: [{ a: 1, b: 4 }] },
      count: 7,
    });
  });

  it('finds no change between a topology and itself, and every root and tunnel deleted when pending is empty', () => {
    fc.assert(
      fc.property(validTopology, (topology) => {
        expect(pendingChanges(topology, structuredClone(topology))).toEqual({ deployed: true, roots: none, tunnels: { added: [], deleted: [] }, count: 0 });
        const emptied = pendingChanges(topology, { roots: [], tunnels: [] });
        expect(emptied.roots.deleted.map((r) => r.id).sort((x, y) => x - y)).toEqual(topology.roots.map((r) => r.id).sort((x, y) => x - y));
        expect(emptied.count).toBe(topology.roots.length + topology.tunnels.length);
      }),
      { numRuns: 50 },
    );
  });
});
