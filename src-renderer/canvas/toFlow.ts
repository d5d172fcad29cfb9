// Turns the pending topology and its plan into React Flow nodes (roots) and edges (tunnels); pure.
import type { Edge, Node } from '@xyflow/react';
import { parseNodeName, rootNodeName, tunnelName } from '../../src-shared/plan/nodeNames.ts';
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';

export type RootNodeData = {
  name: string;
  overlay: string;
  maxClients: number;
  leaves: number;
};
export type RootNode = Node<RootNodeData, 'root'>;
export type TunnelEdge = Edge<Record<string, never>, 'tunnel'>;

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
 * node flicker while it is measured again.
 */
export function toRootNodes(topology: Topology, plan: AddressPlan, selectedId: number | null, previous: readonly RootNode[]): RootNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  const leaves = new Map(plan.roots.map((r) => [r.rootId, r.leaves.length]));
  return topology.roots.map((root, index) => {
    const id = rootNodeName(root.id);
    return {
      ...before.get(id),
      id,
      type: 'root',
      ariaLabel: `Root ${root.name}`,
      position: root.position ?? defaultPosition(index, topology.roots.length),
      selected: root.id === selectedId,
      data: { name: root.name, overlay: root.overlay, maxClients: root.maxClients, leaves: leaves.get(root.id) ?? 0 },
    };
  });
}

export function toTunnelEdges(topology: Topology, selected: { a: number; b: number } | null): TunnelEdge[] {
  const selectedId = selected ? tunnelName(selected.a, selected.b) : null;
  const names = new Map(topology.roots.map((r) => [r.id, r.name]));
  return topology.tunnels.map((t) => {
    const id = tunnelName(t.a, t.b);
    const ariaLabel = `Tunnel ${names.get(t.a)} – ${names.get(t.b)}`;
    return { id, type: 'tunnel', ariaLabel, source: rootNodeName(t.a), target: rootNodeName(t.b), selected: id === selectedId };
  });
}
