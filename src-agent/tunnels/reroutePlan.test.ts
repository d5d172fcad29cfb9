import { describe, expect, it } from 'vitest';
import { reroutePlan, transitAnchors, type RerouteTopology } from './reroutePlan.ts';

const root = (id: number) => ({ id, overlay: `10.${id}.0.0/16`, probeAddress: `10.${id}.0.1` });
const TRIANGLE: RerouteTopology = { roots: [1, 2, 3].map(root), tunnels: [{ a: 1, b: 2 }, { a: 1, b: 3 }, { a: 2, b: 3 }] };
const RING: RerouteTopology = { roots: [1, 2, 3, 4].map(root), tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 3, b: 4 }, { a: 1, b: 4 }] };

describe('reroutePlan', () => {
  it.each([
    ['a triangle, nothing cut: each tunnel carries its two clouds', TRIANGLE, 1, [], {
      tunnels: [
        { name: 'tunnel-1-2', peer: 2, children: [{ local: ['10.1.0.0/16'], remote: ['10.2.0.0/16'] }] },
        { name: 'tunnel-1-3', peer: 3, children: [{ local: ['10.1.0.0/16'], remote: ['10.3.0.0/16'] }] },
      ],
      anchors: [],
    }],
    ['a triangle cut 1-2, at root 1: the cut tunnel only probes, 1-3 carries cloud 2 too', TRIANGLE, 1, ['tunnel-1-2'], {
      tunnels: [
        { name: 'tunnel-1-2', peer: 2, children: [], probe: { local: ['10.1.0.1/32'], remote: ['10.2.0.1/32'] } },
        { name: 'tunnel-1-3', peer: 3, children: [{ local: ['10.1.0.0/16'], remote: ['10.2.0.0/15'] }] },
      ],
      anchors: [],
    }],
    ['a triangle cut 1-2, at root 2', TRIANGLE, 2, ['tunnel-1-2'], {
      tunnels: [
        { name: 'tunnel-1-2', peer: 1, children: [], probe: { local: ['10.2.0.1/32'], remote: ['10.1.0.1/32'] } },
        { name: 'tunnel-2-3', peer: 3, children: [{ local: ['10.2.0.0/16'], remote: ['10.1.0.0/16', '10.3.0.0/16'] }] },
      ],
      anchors: [],
    }],
    ['a triangle cut 1-2, at the transit root 3: an anchor in cloud 1 for its 2-3 selector', TRIANGLE, 3, ['tunnel-1-2'], {
      tunnels: [
        { name: 'tunnel-1-3', peer: 1, children: [{ local: ['10.2.0.0/15'], remote: ['10.1.0.0/16'] }] },
        { name: 'tunnel-2-3', peer: 2, children: [{ local: ['10.1.0.0/16', '10.3.0.0/16'], remote: ['10.2.0.0/16'] }] },
      ],
      anchors: ['10.1.255.255/32'],
    }],
    ['a ring cut 1-2, at root 4: it carries 1 to 2 and 3, and 2 and 3 to 1', RING, 4, ['tunnel-1-2'], {
      tunnels: [
        { name: 'tunnel-1-4', peer: 1, children: [{ local: ['10.2.0.0/15', '10.4.0.0/16'], remote: ['10.1.0.0/16'] }] },
        { name: 'tunnel-3-4', peer: 3, children: [{ local: ['10.1.0.0/16', '10.4.0.0/16'], remote: ['10.2.0.0/15'] }] },
      ],
      anchors: ['10.1.255.255/32', '10.3.255.255/32'],
    }],
    ['a triangle with two tunnels cut, at root 1: both probe, cloud 1 is an island', TRIANGLE, 1, ['tunnel-1-2', 'tunnel-1-3'], {
      tunnels: [
        { name: 'tunnel-1-2', peer: 2, children: [], probe: { local: ['10.1.0.1/32'], remote: ['10.2.0.1/32'] } },
        { name: 'tunnel-1-3', peer: 3, children: [], probe: { local: ['10.1.0.1/32'], remote: ['10.3.0.1/32'] } },
      ],
      anchors: [],
    }],
  ])('%s', (_case, topology, self, cut, plan) => {
    expect(reroutePlan(topology, self, new Set(cut))).toEqual(plan);
  });

  it('refuses a root that is not in the overlay', () => {
    expect(() => reroutePlan(TRIANGLE, 9, new Set())).toThrow(/root 9 is not in the overlay/);
  });
});

describe('transitAnchors', () => {
  it.each([
    [['10.1.0.0/16'], '10.1.0.0/16', []],
    [['10.0.0.0/15'], '10.1.0.0/16', []],
    [['10.2.0.0/16', '10.2.0.0/16', '10.4.0.0/15'], '10.1.0.0/16', ['10.2.255.255/32', '10.5.255.255/32']],
  ])('%j at %s: %j', (local, own, anchors) => {
    expect(transitAnchors(local, own)).toEqual(anchors);
  });
});
