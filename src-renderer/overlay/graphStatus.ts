// Each node's status as the graph draws it, by node name (`root-1`, `leaf-1-2`): only what a node shows, so that a
// heartbeat (a new `lastHeartbeat` on every row) leaves the entry of a node whose status did not change the same object.
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import type { NodeState } from '../../src-shared/protocol/messages.ts';
import { statusByRoot } from './nodeStatus.ts';

export interface NodeLook {
  status: NodeState;
  /** Why it failed. */
  reason: string | undefined;
  /** A root's leaves in one line ("1 of 2 leaves alive, 1 down"); undefined for a leaf. */
  leavesText: string | undefined;
}

const sameLook = (a: NodeLook, b: NodeLook) => a.status === b.status && a.reason === b.reason && a.leavesText === b.leavesText;

/** `next` with every entry equal to `previous`'s replaced by `previous`'s object. */
export function keepUnchanged<V>(previous: ReadonlyMap<string, V>, next: Map<string, V>, same: (a: V, b: V) => boolean): Map<string, V> {
  for (const [key, value] of next) {
    const before = previous.get(key);
    if (before !== undefined && same(before, value)) next.set(key, before);
  }
  return next;
}

export function graphStatus(rows: readonly NodeStatusRowView[], previous: ReadonlyMap<string, NodeLook>): Map<string, NodeLook> {
  const looks = new Map<string, NodeLook>();
  const roots = statusByRoot(rows);
  for (const row of rows) looks.set(row.name, { status: row.status, reason: row.reason, leavesText: roots.get(row.name)?.leavesText });
  return keepUnchanged(previous, looks, sameLook);
}
