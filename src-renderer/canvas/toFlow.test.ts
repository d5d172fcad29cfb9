import { describe, expect, it } from 'vitest';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import type { RootNode } from './toFlow.ts';
import { defaultPosition, rootIdOfNode, toRootNodes, toTunnelEdges } from './toFlow.ts';

const topology: Topology = {
  roots: [
    { id: 1, name: 'east', internetAddress: '203.0.113.1', overlay: '10.1.0.0/16', maxClients: 250, position: { x: 10, y: 20 } },
    { id: 7, name: 'west', internetAddress: '203.0.113.7', overlay: '10.7.0.0/16', maxClients: 100 },
  ],
  tunnels: [{ a: 7, b: 1 }],
};
const plan = planAddresses(topology);

describe('toRootNodes', () => {
  it('draws each root with its overlay, clients and leaf count, at its saved place or on the default circle', () => {
    expect(toRootNodes(topology, plan, 7, [])).toEqual([
      { id: 'root-1', type: 'root', ariaLabel: 'Root east', position: { x: 10, y: 20 }, selected: false, data: { name: 'east', overlay: '10.1.0.0/16', maxClients: 250, leaves: 3, deleted: false } },
      { id: 'root-7', type: 'root', ariaLabel: 'Root west', position: defaultPosition(1, 2), selected: true, data: { name: 'west', overlay: '10.7.0.0/16', maxClients: 100, leaves: 1, deleted: false } },
    ]);
  });

  it('keeps what React Flow measured on nodes it drew before', () => {
    const previous = toRootNodes(topology, plan, null, []).map((n): RootNode => ({ ...n, measured: { width: 170, height: 70 } }));
    expect(toRootNodes(topology, plan, null, previous).map((n) => n.measured)).toEqual([
      { width: 170, height: 70 },
      { width: 170, height: 70 },
    ]);
  });
});

const gone = { id: 3, name: 'old-dc', internetAddress: '203.0.113.3', overlay: '10.3.0.0/16', maxClients: 150, position: { x: 50, y: 60 } };
const deleted = { roots: [gone], tunnels: [{ a: 1, b: 3 }] };

describe('deleted roots and tunnels', () => {
  it('draws a deleted root after the pending ones, marked, with its leaves, never selected nor draggable', () => {
    const nodes = toRootNodes(topology, plan, 3, [], deleted);
    expect(nodes.map((n) => [n.id, n.data.deleted, n.selected])).toEqual([
      ['root-1', false, false],
      ['root-7', false, false],
      ['root-3', true, false],
    ]);
    expect(nodes[2]).toMatchObject({
      ariaLabel: 'Root old-dc, deleted until the next deploy',
      position: { x: 50, y: 60 },
      selectable: false,
      draggable: false,
      connectable: false,
      data: { leaves: 2 },
    });
    expect(nodes[1]?.position).toEqual(defaultPosition(1, 3));
    expect('draggable' in nodes[0]!).toBe(false);
  });

  it('does not carry a deleted root’s flags over once it is back', () => {
    const back = toRootNodes({ ...topology, roots: [...topology.roots, gone] }, plan, null, toRootNodes(topology, plan, null, [], deleted));
    expect(back[2]).not.toHaveProperty('draggable');
    expect(back[2]?.data.deleted).toBe(false);
  });

  it('draws a deleted tunnel after the pending ones, marked, named by its roots, never selected', () => {
    expect(toTunnelEdges(topology, { a: 3, b: 1 }, deleted)[1]).toEqual({
      id: 'tunnel-1-3',
      type: 'tunnel',
      ariaLabel: 'Tunnel east – old-dc, deleted until the next deploy',
      source: 'root-1',
      target: 'root-3',
      selected: false,
      selectable: false,
      data: { deleted: true },
    });
  });
});

describe('toTunnelEdges', () => {
  it('draws each tunnel once, with the lower id first in its edge id, named by its roots', () => {
    expect(toTunnelEdges(topology, { a: 1, b: 7 })).toEqual([
      { id: 'tunnel-1-7', type: 'tunnel', ariaLabel: 'Tunnel west – east', source: 'root-7', target: 'root-1', selected: true, data: { deleted: false } },
    ]);
    expect(toTunnelEdges(topology, null)[0]?.selected).toBe(false);
  });
});

describe('ids', () => {
  it.each([
    ['root-12', 12],
    ['root-', null],
    ['tunnel-1-2', null],
    ['root-1x', null],
    ['leaf-1-2', null],
  ])('rootIdOfNode(%j) is %j', (id, want) => {
    expect(rootIdOfNode(id)).toBe(want);
  });

  it('spreads default positions apart', () => {
    const spots = [0, 1, 2, 3].map((i) => defaultPosition(i, 4));
    expect(new Set(spots.map((p) => `${p.x},${p.y}`)).size).toBe(4);
  });
});
