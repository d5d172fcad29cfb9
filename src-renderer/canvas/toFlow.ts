// Turns the pending topology and its plan into React Flow nodes (roots) and edges (tunnels), deleted ones marked; pure.
import type { Edge, Node } from '@xyflow/react';
import { parseNodeName, rootNodeName, tunnelName } from '../../src-shared/plan/nodeNames.ts';
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { Root, Topology, Tunnel } from '../../src-shared/topology/schemas.ts';

export type RootNodeData = {
  name: string;
  overlay: string;
  maxClients: number;
  leaves: number;
  /** Gone from the pending topology but still deployed: drawn struck through until the deploy removes it (soft delete). */
  deleted: boolean;
};
export type RootNode = Node<RootNodeData, 'root'>;
export type TunnelEdge = Edge<{ deleted: boolean }, 'tunnel'>;

/** Roots and tunnels deleted but still deployed, as main reports them in the state's pending changes. */
export interface Deleted {
  roots: readonly Root[];
  tunnels: readonly Tunnel[];
}
const NOTHING_DELETED: Deleted = { roots: [], tunnels: [] };
/** A deleted root or tunnel is only looked at: it cannot be selected, dragged or joined until undo brings it back. */
const INERT = { selectable: false, draggable: false, connectable: false } as const;

/** The root a canvas node stands for: nodes take the plan's names (`rootNodeName`) and edges `tunnelName`, so the canvas never spells a name of its own. */
export function rootIdOfNode(nodeId: string): number | null {
  const name = parseNodeName(nodeId);
  return name?.role === 'root' ? name.rootId : null;
}

/** Where a root without a saved position is drawn: on a circle, in file order, so the drawing is stable. */
export function defaultPosition(index: number, count: number): { x: number; y: number } {
  const angle = (2 * Math.PI * index) / Math.max(count, 1) - Math.PI / 2;
  const radius = 120 + 40 * count;
  return { x: Math.round(radius * Math.cos(angle)), y: Math.round(radius * Math.sin(angle)) };
}

/**
 * `previous` nodes keep what React Flow measured (their size), so a new state does not make every
 * node flicker while it is measured again. Deleted roots come after the pending ones.
 */
export function toRootNodes(topology: Topology, plan: AddressPlan, selectedId: number | null, previous: readonly RootNode[], deleted = NOTHING_DELETED): RootNode[] {
  const measuredBefore = new Map(previous.map((n) => [n.id, n.measured]));
  const leaves = new Map([...plan.roots, ...planAddresses({ roots: [...deleted.roots], tunnels: [] }).roots].map((r) => [r.rootId, r.leaves.length]));
  const roots = [...topology.roots, ...deleted.roots];
  return roots.map((root, index) => {
    const id = rootNodeName(root.id);
    const gone = index >= topology.roots.length;
    const measured = measuredBefore.get(id);
    return {
      ...(measured && { measured }),
      id,
      type: 'root',
      ariaLabel: gone ? `Root ${root.name}, deleted until the next deploy` : `Root ${root.name}`,
      position: root.position ?? defaultPosition(index, roots.length),
      selected: !gone && root.id === selectedId,
      ...(gone && INERT),
      data: { name: root.name, overlay: root.overlay, maxClients: root.maxClients, leaves: leaves.get(root.id) ?? 0, deleted: gone },
    };
  });
}

export function toTunnelEdges(topology: Topology, selected: { a: number; b: number } | null, deleted = NOTHING_DELETED): TunnelEdge[] {
  const selectedId = selected ? tunnelName(selected.a, selected.b) : null;
  const names = new Map([...topology.roots, ...deleted.roots].map((r) => [r.id, r.name]));
  const tunnels = [...topology.tunnels, ...deleted.tunnels];
  return tunnels.map((t, index) => {
    const id = tunnelName(t.a, t.b);
    const gone = index >= topology.tunnels.length;
    const ariaLabel = `Tunnel ${names.get(t.a)} – ${names.get(t.b)}${gone ? ', deleted until the next deploy' : ''}`;
    const edge: TunnelEdge = { id, type: 'tunnel', ariaLabel, source: rootNodeName(t.a), target: rootNodeName(t.b), selected: !gone && id === selectedId, data: { deleted: gone } };
    return gone ? { ...edge, selectable: false } : edge;
  });
}
