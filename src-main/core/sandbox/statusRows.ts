// The sandbox's status as one row per node: its agent's port and process from the host, and its state, last heartbeat
// and deploy as the overlay (one of its roots) reports them.
import type { NodeState } from '../../../src-shared/protocol/messages.ts';
import type { HostNodes, HostView, ProcessState } from '../../../src-shared/sandbox/sandboxControl.ts';

export interface StatusRow {
  node: string;
  port: number | null;
  process: ProcessState;
  /** Undefined when the overlay's view is not to be had, or does not list the node yet. */
  state?: NodeState;
  lastHeartbeat?: number | null;
  topologyId?: string | null;
  /** Why the process or the node failed. */
  reason?: string;
}

export function statusRows(nodes: HostNodes, view: HostView): StatusRow[] {
  const seen = new Map(view.ok ? view.snapshot.nodes.map((n) => [n.node, n]) : []);
  return nodes.nodes.map((host) => {
    const node = seen.get(host.node);
    const reason = host.reason ?? node?.reason;
    return {
      node: host.node,
      port: host.port,
      process: host.process,
      ...(node ? { state: node.state, lastHeartbeat: node.lastHeartbeat, topologyId: node.topologyId } : {}),
      ...(reason === undefined ? {} : { reason }),
    };
  });
}
