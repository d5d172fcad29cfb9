// Each node's status as the graph draws it, by node name (`root-1`, `leaf-1-2`): only what a node shows, so that a
// heartbeat (a new `lastHeartbeat` on every row) leaves the entry of a node whose status did not change the same object.
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import type { NodeState } from '../../src-shared/protocol/messages.ts';
import type { RootStatus } from './nodeStatus.ts';

export interface NodeLook {
  status: NodeState;
  /** Why it failed. */
  reason: string | undefined;
  /** A root's leaves in one line ("1 of 2 leaves alive, 1 down"); undefined for a leaf. */
  leavesText: string | undefined;
  /**
   * OpenVPN clients connected now: a leaf's own count; a root's own, or its leaves' sum where the root reports none
   * (a root's clients are its leaves'); undefined where no row says.
   */
  clients: number | undefined;
}

const sameLook = (a: NodeLook, b: NodeLook) => a.status === b.status && a.reason === b.reason && a.leavesText === b.leavesText && a.clients === b.clients;

/** `next` with every entry equal to `previous`'s replaced by `previous`'s object. */
export function keepUnchanged<V>(previous: ReadonlyMap<string, V>, next: Map<string, V>, same: (a: V, b: V) => boolean): Map<string, V> {
  for (const [key, value] of next) {
    const before = previous.get(key);
    if (before !== undefined && same(before, value)) next.set(key, before);
  }
  return next;
}

/** The sum of the counts that are there; undefined when none is. */
function sumReported(rows: readonly NodeStatusRowView[]): number | undefined {
  const counts = rows.flatMap((r) => (r.clientsConnected === undefined ? [] : [r.clientsConnected]));
  return counts.length === 0 ? undefined : counts.reduce((a, b) => a + b, 0);
}

/** `byRoot` is `statusByRoot(rows)`, which the store has already worked out for the panels. */
export function graphStatus(rows: readonly NodeStatusRowView[], byRoot: ReadonlyMap<string, RootStatus>, previous: ReadonlyMap<string, NodeLook>): Map<string, NodeLook> {
  const looks = new Map<string, NodeLook>();
  for (const row of rows) {
    const root = byRoot.get(row.name);
    const clients = row.clientsConnected ?? (root && sumReported(root.leaves));
    looks.set(row.name, { status: row.status, reason: row.reason, leavesText: root?.leavesText, clients });
  }
  return keepUnchanged(previous, looks, sameLook);
}
