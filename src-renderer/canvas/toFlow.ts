// Turns the pending topology, its plan and its pending changes into React Flow nodes (roots) and edges (tunnels), deleted
// ones marked; a node, edge or `data` object that did not change is the previous one itself, so React Flow redraws only
// what changed; pure.
import { Position } from '@xyflow/react';
import type { Edge, Node, NodeHandle } from '@xyflow/react';
import type { PendingChanges } from '../../src-shared/contract/contract.ts';
import { parseNodeName, rootNodeName, tunnelName } from '../../src-shared/plan/nodeNames.ts';
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { CloudProvider, Topology } from '../../src-shared/topology/schemas.ts';
import { isNatted } from '../../src-shared/topology/schemas.ts';
import { ROOT_SIZE } from './rootBox.ts';
import type { Point } from './tunnelPath.ts';
import { BEND } from './tunnelPath.ts';

/** How a root or tunnel differs from the deployed overlay: added, changed, or deleted (drawn struck through until the deploy removes it). */
export type Change = 'added' | 'changed' | 'deleted' | null;

export interface LeafData {
  /** The plan's node name, `leaf-<root>-<n>`: the key of its status. */
  name: string;
  subnet: string;
  maxClients: number;
}

export type RootNodeData = {
  name: string;
  overlay: string;
  internetAddress: string;
  /** Whether the internet address is NATed onto a private address on the machine. */
  natted: boolean;
  cloud: CloudProvider;
  maxClients: number;
  leaves: readonly LeafData[];
  change: Change;
};
export type RootNode = Node<RootNodeData, 'root'>;
export type TunnelEdge = Edge<{ change: Exclude<Change, 'changed'>; /** How the arc bends (tunnelPath.ts): clear of the roots it does not join. */ bend: number }, 'tunnel'>;

/** What the canvas draws, as the editor store holds it. */
export interface Drawing {
  topology: Topology;
  plan: AddressPlan;
  changes: PendingChanges;
  selectedRoot: number | null;
  selectedTunnel: { a: number; b: number } | null;
  /** Where automatic layout put roots that have no saved position. */
  laidOut: ReadonlyMap<number, Point>;
}

/** The id of the handle at a root's centre, where its tunnels end (RootNodeView.tsx). */
export const CENTRE_HANDLE = 'centre';

/** The root's border (styles.css), inside which its connect handle lies. */
const BORDER = 1.5;

/**
 * A root's handles where React Flow would measure them (RootNodeView.tsx) on a root of that size: the connect handle
 * over all of it inside its border, and the centre handle over its top half, whose bottom middle (where React Flow ends a
 * tunnel at a bottom handle) is the root's middle. A node that carries its size and these is drawn with its tunnels at
 * once, where React Flow would otherwise hide it until it has measured it and then draw it again (rootBox.ts:
 * `reservedSizes`).
 *
 * @remarks The centre handle starts at the root's corner and takes its size from the root's: React Flow measures it as
 * (0, 0) and whole pixels, which are exactly what is declared here, so that the measuring pass after the first drawing
 * leaves every tunnel's ends as they were (a handle in the middle measured a few millionths off, and all 1,000 tunnels
 * of the benchmark were drawn again for nothing).
 */
export function rootHandles({ width, height }: { width: number; height: number }): NodeHandle[] {
  return [
    { id: null, type: 'source', position: Position.Top, x: BORDER, y: BORDER, width: width - 2 * BORDER, height: height - 2 * BORDER },
    { id: CENTRE_HANDLE, type: 'source', position: Position.Bottom, x: 0, y: 0, width, height: height / 2 },
  ];
}

/** The node with the handles of its measured size: React Flow takes a node's declared handles over what it measured. */
export function withMeasuredHandles(node: RootNode): RootNode {
  const width = node.measured?.width ?? ROOT_SIZE.width;
  const height = node.measured?.height ?? ROOT_SIZE.height;
  return { ...node, handles: rootHandles({ width, height }) };
}

/** A deleted root or tunnel is only looked at: it cannot be selected, dragged or joined until undo brings it back. */
const INERT = { selectable: false, draggable: false, connectable: false } as const;

/** The root a canvas node stands for: nodes take the plan's names (`rootNodeName`) and edges `tunnelName`, so the canvas never spells a name of its own. */
export function rootIdOfNode(nodeId: string): number | null {
  const name = parseNodeName(nodeId);
  return name?.role === 'root' ? name.rootId : null;
}

/** Where a root with neither a saved position nor one from the layout (yet) is drawn: on a circle, in file order. */
export function defaultPosition(index: number, count: number): Point {
  const angle = (2 * Math.PI * index) / Math.max(count, 1) - Math.PI / 2;
  const radius = 120 + 40 * count;
  return { x: Math.round(radius * Math.cos(angle)), y: Math.round(radius * Math.sin(angle)) };
}

function sameLeaves(a: readonly LeafData[], b: readonly LeafData[]): boolean {
  return a.length === b.length && a.every((leaf, i) => leaf.name === b[i]!.name && leaf.subnet === b[i]!.subnet && leaf.maxClients === b[i]!.maxClients);
}

function sameData(a: RootNodeData, b: RootNodeData): boolean {
  return (
    a.name === b.name &&
    a.overlay === b.overlay &&
    a.internetAddress === b.internetAddress &&
    a.natted === b.natted &&
    a.cloud === b.cloud &&
    a.maxClients === b.maxClients &&
    a.change === b.change &&
    sameLeaves(a.leaves, b.leaves)
  );
}

function sameNode(a: RootNode, b: RootNode): boolean {
  return (
    a.data === b.data &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.selected === b.selected &&
    a.ariaLabel === b.ariaLabel &&
    a.selectable === b.selectable
  );
}

/**
 * `previous` nodes keep what React Flow measured (their size) and the handles that go with it, so a new state does not
 * make every node flicker while it is measured again; a node equal to its previous self is that very object. Deleted
 * roots come after the pending ones.
 */
export function toRootNodes(drawing: Drawing, previous: readonly RootNode[]): RootNode[] {
  const { topology, plan, changes } = drawing;
  const before = new Map(previous.map((n) => [n.id, n]));
  const deleted = changes.roots.deleted;
  const leaves = new Map([...plan.roots, ...planAddresses({ roots: [...deleted], tunnels: [] }).roots].map((r) => [r.rootId, r.leaves]));
  const added = new Set(changes.deployed ? changes.roots.added : []);
  const changed = new Set(changes.roots.changed);
  const roots = [...topology.roots, ...deleted];
  return roots.map((root, index) => {
    const id = rootNodeName(root.id);
    const gone = index >= topology.roots.length;
    const old = before.get(id);
    const change: Change = gone ? 'deleted' : added.has(root.id) ? 'added' : changed.has(root.id) ? 'changed' : null;
    const data: RootNodeData = {
      name: root.name,
      overlay: root.overlay,
      internetAddress: root.internetAddress,
      natted: isNatted(root),
      cloud: root.cloud?.provider ?? 'existing',
      maxClients: root.maxClients,
      leaves: (leaves.get(root.id) ?? []).map((l) => ({ name: l.nodeName, subnet: l.clientSubnet, maxClients: l.maxClients })),
      change,
    };
    const node: RootNode = {
      ...(old?.measured && { measured: old.measured, ...(old.handles && { handles: old.handles }) }),
      id,
      type: 'root',
      ariaLabel: gone ? `Root ${root.name}, deleted until the next deploy` : `Root ${root.name}`,
      position: root.position ?? drawing.laidOut.get(root.id) ?? defaultPosition(index, roots.length),
      selected: !gone && root.id === drawing.selectedRoot,
      ...(gone && INERT),
      data: old && sameData(old.data, data) ? old.data : data,
    };
    return old && sameNode(old, node) ? old : node;
  });
}

const CENTRES = { sourceHandle: CENTRE_HANDLE, targetHandle: CENTRE_HANDLE } as const;

function sameEdge(a: TunnelEdge, b: TunnelEdge): boolean {
  return a.selected === b.selected && a.ariaLabel === b.ariaLabel && a.source === b.source && a.target === b.target && a.data?.change === b.data?.change && a.data?.bend === b.data?.bend;
}

/** Every tunnel drawn, deleted ones after the pending ones, by the names of the nodes it joins. */
export function drawnTunnels({ topology, changes }: Drawing): { id: string; source: string; target: string }[] {
  return [...topology.tunnels, ...changes.tunnels.deleted].map((t) => ({ id: tunnelName(t.a, t.b), source: rootNodeName(t.a), target: rootNodeName(t.b) }));
}

/**
 * Tunnels as edges, bent as `bends` says (tunnelBends.ts; the usual bend for one it leaves out); an edge equal to its
 * previous self is that very object. Deleted tunnels come after the pending ones.
 */
export function toTunnelEdges(drawing: Drawing, previous: readonly TunnelEdge[], bends: ReadonlyMap<string, number>): TunnelEdge[] {
  const { topology, changes } = drawing;
  const before = new Map(previous.map((e) => [e.id, e]));
  const selectedId = drawing.selectedTunnel ? tunnelName(drawing.selectedTunnel.a, drawing.selectedTunnel.b) : null;
  const names = new Map([...topology.roots, ...changes.roots.deleted].map((r) => [r.id, r.name]));
  const added = new Set(changes.deployed ? changes.tunnels.added.map((t) => tunnelName(t.a, t.b)) : []);
  const tunnels = [...topology.tunnels, ...changes.tunnels.deleted];
  return tunnels.map((t, index) => {
    const id = tunnelName(t.a, t.b);
    const gone = index >= topology.tunnels.length;
    const ariaLabel = `Tunnel ${names.get(t.a)} – ${names.get(t.b)}${gone ? ', deleted until the next deploy' : added.has(id) ? ', added' : ''}`;
    const change = gone ? 'deleted' : added.has(id) ? 'added' : null;
    const [source, target] = [rootNodeName(t.a), rootNodeName(t.b)];
    const bend = bends.get(id) ?? BEND;
    const edge: TunnelEdge = { id, type: 'tunnel', ariaLabel, source, target, ...CENTRES, selected: !gone && id === selectedId, data: { change, bend } };
    const drawn = gone ? { ...edge, selectable: false } : edge;
    const old = before.get(id);
    return old && sameEdge(old, drawn) ? old : drawn;
  });
}
