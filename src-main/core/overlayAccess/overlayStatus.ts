// Every node of an overlay with its status as its entry root sees it: the nodes the access lists and those the entry
// root reports, roots in id order each followed by its leaves. Pure.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { byNode, parseNodeName } from '../../../src-shared/plan/nodeNames.ts';
import type { NodeStatusRowView } from '../../../src-shared/contract/overlayContract.ts';
import type { NodeStatus, StatusSnapshot } from '../../../src-shared/protocol/messages.ts';

/**
 * One node, the shape `raincoat status --json` prints (NodeStatusRowSchema). `id`: a root's id (a number, as in the
 * topology); a leaf's `<root id>-<n>` (a string, `"1-2"` for leaf-1-2). `lastHeartbeat`: epoch ms on the entry root's
 * clock, null when never heard. `reason` only for a failed node. `clientsConnected` and `tunnels` only where measured.
 */
export type NodeStatusRow = NodeStatusRowView;

/** A node the access lists that the entry root does not report: known, never heard from, as the agent counts such a node. */
const unheard = (node: string): NodeStatus => ({ node, state: 'pending', lastHeartbeat: null, topologyId: null });

export function overlayStatus(access: OverlayAccess, snapshot: StatusSnapshot): NodeStatusRow[] {
  const byName = new Map<string, NodeStatus>(Object.keys(access.nodes).map((node) => [node, unheard(node)]));
  for (const status of snapshot.nodes) byName.set(status.node, status);
  const rootClients = clientsByRoot(byName.values());
  const rows: NodeStatusRow[] = [];
  for (const status of byName.values()) {
    const name = parseNodeName(status.node);
    if (!name) continue;
    const isRoot = name.role === 'root';
    rows.push({
      id: isRoot ? name.rootId : `${name.rootId}-${name.index}`,
      kind: name.role,
      name: status.node,
      status: status.state,
      lastHeartbeat: status.lastHeartbeat,
      topologyId: status.topologyId,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
      ...clientsOf(isRoot ? rootClients.get(name.rootId) : status.clientsConnected),
      ...(isRoot && status.tunnels !== undefined ? { tunnels: status.tunnels } : {}),
    });
  }
  return rows.sort((a, b) => byNode(a.name, b.name));
}

/**
 * Each root's connected clients: its own and its leaves' (client VMs connect to leaves), counted only from those that
 * measured; a root none of them measured for is absent. One pass: a status read lists every node of a large overlay.
 */
function clientsByRoot(statuses: Iterable<NodeStatus>): Map<number, number> {
  const sums = new Map<number, number>();
  for (const status of statuses) {
    const name = parseNodeName(status.node);
    if (name === undefined || status.clientsConnected === undefined) continue;
    sums.set(name.rootId, (sums.get(name.rootId) ?? 0) + status.clientsConnected);
  }
  return sums;
}

const clientsOf = (count: number | undefined): { clientsConnected?: number } => (count === undefined ? {} : { clientsConnected: count });
