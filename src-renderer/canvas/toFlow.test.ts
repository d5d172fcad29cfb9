import { describe, expect, it } from 'vitest';
import type { PendingChanges } from '../../src-shared/contract/contract.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import type { Drawing, RootNode } from './toFlow.ts';
import { CENTRE_HANDLE, defaultPosition, drawnTunnels, rootHandles, rootIdOfNode, toRootNodes, toTunnelEdges, withMeasuredHandles } from './toFlow.ts';
import type { TunnelEdge } from './toFlow.ts';
import { tunnelBends } from './tunnelBends.ts';
import { BEND } from './tunnelPath.ts';

const topology: Topology = {
  roots: [
    { id: 1, name: 'east', internetAddress: '203.0.113.1', overlay: '10.1.0.0/16', maxClients: 250, position: { x: 10, y: 20 }, cloud: { provider: 'ec2' } },
    { id: 7, name: 'west', internetAddress: '203.0.113.7', overlay: '10.7.0.0/16', maxClients: 100 },
  ],
  tunnels: [{ a: 7, b: 1 }],
};
const NO_CHANGES: PendingChanges = { deployed: true, roots: { added: [], changed: [], moved: [], deleted: [] }, tunnels: { added: [], deleted: [] }, count: 0 };
const drawing = (over: Partial<Drawing> = {}): Drawing => ({
  topology,
  plan: planAddresses(over.topology ?? topology),
  changes: NO_CHANGES,
  selectedRoot: null,
  selectedTunnel: null,
  laidOut: new Map(),
  ...over,
});
const edgesOf = (d: Drawing, previous: readonly TunnelEdge[] = []) => toTunnelEdges(d, previous, tunnelBends(toRootNodes(d, []), drawnTunnels(d)));
const eastLeaves = [
  { name: 'leaf-1-1', subnet: '10.1.4.0/25', maxClients: 100 },
  { name: 'leaf-1-2', subnet: '10.1.4.128/25', maxClients: 100 },
  { name: 'leaf-1-3', subnet: '10.1.5.0/25', maxClients: 50 },
];

describe('toRootNodes', () => {
  it('draws each root with its overlay, address, cloud, clients and leaves, at its saved place or on the default circle', () => {
    expect(toRootNodes(drawing({ selectedRoot: 7 }), [])).toEqual([
      {
        id: 'root-1',
        type: 'root',
        ariaLabel: 'Root east',
        position: { x: 10, y: 20 },
        selected: false,
        data: { name: 'east', overlay: '10.1.0.0/16', internetAddress: '203.0.113.1', natted: true, cloud: 'ec2', maxClients: 250, leaves: eastLeaves, change: null },
      },
      {
        id: 'root-7',
        type: 'root',
        ariaLabel: 'Root west',
        position: defaultPosition(1, 2),
        selected: true,
        data: { name: 'west', overlay: '10.7.0.0/16', internetAddress: '203.0.113.7', natted: false, cloud: 'existing', maxClients: 100, leaves: [{ name: 'leaf-7-1', subnet: '10.7.4.0/25', maxClients: 100 }], change: null },
      },
    ]);
  });

  it('puts a root’s handles where React Flow finds them, for its measured size: tunnels end in its middle', () => {
    expect(rootHandles({ width: 220, height: 150 })).toEqual([
      { id: null, type: 'source', position: 'top', x: 1.5, y: 1.5, width: 217, height: 147 },
      { id: CENTRE_HANDLE, type: 'source', position: 'bottom', x: 0, y: 0, width: 220, height: 75 },
    ]);
    // React Flow ends a tunnel at a bottom handle's bottom middle.
    const tunnelEnd = (h: { x: number; y: number; width?: number; height?: number } | undefined) => h && { x: h.x + (h.width ?? 0) / 2, y: h.y + (h.height ?? 0) };
    const measured = withMeasuredHandles({ ...toRootNodes(drawing(), [])[0]!, measured: { width: 220, height: 310 } });
    expect(tunnelEnd(measured.handles?.find((h) => h.id === CENTRE_HANDLE))).toEqual({ x: 110, y: 155 });
  });

  it('puts a root without a saved position where the layout put it', () => {
    expect(toRootNodes(drawing({ laidOut: new Map([[7, { x: 400, y: 5 }]]) }), [])[1]?.position).toEqual({ x: 400, y: 5 });
  });

  it('keeps what React Flow measured on nodes it drew before, with the handles that go with it', () => {
    const previous = toRootNodes(drawing(), []).map((n): RootNode => withMeasuredHandles({ ...n, measured: { width: 170, height: 70 } }));
    const again = toRootNodes(drawing({ selectedRoot: 1 }), previous);
    expect(again.map((n) => n.measured)).toEqual([
      { width: 170, height: 70 },
      { width: 170, height: 70 },
    ]);
    expect(again.map((n) => n.handles)).toEqual([rootHandles({ width: 170, height: 70 }), rootHandles({ width: 170, height: 70 })]);
  });

  it('gives back the previous node, or its data, where nothing in it changed', () => {
    const previous = toRootNodes(drawing(), []);
    const again = toRootNodes(drawing({ selectedRoot: 1 }), previous);
    expect(again[1]).toBe(previous[1]);
    expect(again[0]).not.toBe(previous[0]);
    expect(again[0]?.data).toBe(previous[0]?.data);
    const renamed = toRootNodes(drawing({ topology: { ...topology, roots: [{ ...topology.roots[0]!, name: 'east-2' }, topology.roots[1]!] } }), again);
    expect(renamed[0]?.data.name).toBe('east-2');
    expect(renamed[1]).toBe(previous[1]);
  });

  it('marks roots added and changed against the deployed overlay, but not when nothing is deployed', () => {
    const changes = { ...NO_CHANGES, roots: { ...NO_CHANGES.roots, added: [7], changed: [1] } };
    expect(toRootNodes(drawing({ changes }), []).map((n) => n.data.change)).toEqual(['changed', 'added']);
    expect(toRootNodes(drawing({ changes: { ...changes, deployed: false } }), []).map((n) => n.data.change)).toEqual(['changed', null]);
  });
});

const gone = { id: 3, name: 'old-dc', internetAddress: '203.0.113.3', overlay: '10.3.0.0/16', maxClients: 150, position: { x: 50, y: 60 } };
const deleted: PendingChanges = { ...NO_CHANGES, roots: { ...NO_CHANGES.roots, deleted: [gone] }, tunnels: { added: [], deleted: [{ a: 1, b: 3 }] } };

describe('deleted roots and tunnels', () => {
  it('draws a deleted root after the pending ones, marked, with its leaves, never selected nor draggable', () => {
    const nodes = toRootNodes(drawing({ changes: deleted, selectedRoot: 3 }), []);
    expect(nodes.map((n) => [n.id, n.data.change, n.selected])).toEqual([
      ['root-1', null, false],
      ['root-7', null, false],
      ['root-3', 'deleted', false],
    ]);
    expect(nodes[2]).toMatchObject({
      ariaLabel: 'Root old-dc, deleted until the next deploy',
      position: { x: 50, y: 60 },
      selectable: false,
      draggable: false,
      connectable: false,
    });
    expect(nodes[2]?.data.leaves).toHaveLength(2);
    expect(nodes[1]?.position).toEqual(defaultPosition(1, 3));
    expect('draggable' in nodes[0]!).toBe(false);
  });

  it('does not carry a deleted root’s flags over once it is back', () => {
    const back = toRootNodes(drawing({ topology: { ...topology, roots: [...topology.roots, gone] } }), toRootNodes(drawing({ changes: deleted }), []));
    expect(back[2]).not.toHaveProperty('draggable');
    expect(back[2]?.data.change).toBe(null);
  });

  it('draws a deleted tunnel after the pending ones, marked, named by its roots, never selected', () => {
    expect(edgesOf(drawing({ changes: deleted, selectedTunnel: { a: 3, b: 1 } }))[1]).toEqual({
      id: 'tunnel-1-3',
      type: 'tunnel',
      ariaLabel: 'Tunnel east – old-dc, deleted until the next deploy',
      source: 'root-1',
      target: 'root-3',
      sourceHandle: 'centre',
      targetHandle: 'centre',
      selected: false,
      selectable: false,
      data: { change: 'deleted', bend: BEND },
    });
  });
});

describe('toTunnelEdges', () => {
  it('draws each tunnel once, with the lower id first in its edge id, named by its roots', () => {
    expect(edgesOf(drawing({ selectedTunnel: { a: 1, b: 7 } }))).toEqual([
      { id: 'tunnel-1-7', type: 'tunnel', ariaLabel: 'Tunnel west – east', source: 'root-7', target: 'root-1', sourceHandle: 'centre', targetHandle: 'centre', selected: true, data: { change: null, bend: BEND } },
    ]);
    expect(edgesOf(drawing())[0]?.selected).toBe(false);
  });

  it('marks a tunnel added against the deployed overlay, and gives back an unchanged edge itself', () => {
    const changes = { ...NO_CHANGES, tunnels: { added: [{ a: 1, b: 7 }], deleted: [] } };
    const edges = edgesOf(drawing({ changes }));
    expect(edges[0]).toMatchObject({ ariaLabel: 'Tunnel west – east, added', data: { change: 'added' } });
    expect(edgesOf(drawing({ changes }), edges)[0]).toBe(edges[0]);
    expect(edgesOf(drawing(), edges)[0]?.data).toEqual({ change: null, bend: BEND });
  });

  it('bends a tunnel clear of a root between its two ends', () => {
    const at = (id: number, y: number) => ({ ...topology.roots[1]!, id, name: `r${id}`, overlay: `10.${id}.0.0/16`, position: { x: 0, y } });
    const column: Topology = { roots: [at(1, 0), at(2, 250), at(3, 500)], tunnels: [{ a: 1, b: 3 }, { a: 1, b: 2 }] };
    const [over, next] = edgesOf(drawing({ topology: column, plan: planAddresses(column) }));
    expect(over?.data?.bend).not.toBe(BEND);
    expect(next?.data?.bend).toBe(BEND);
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
