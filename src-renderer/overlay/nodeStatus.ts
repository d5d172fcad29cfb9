// A node's status as the application shows it: colour, icon and word; each root with its leaves; how long ago a node was heard.
import type { NodeStatusRowView } from '../../src-shared/contract/overlayContract.ts';
import { parseNodeName, rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { NODE_STATES } from '../../src-shared/protocol/messages.ts';
import type { NodeState } from '../../src-shared/protocol/messages.ts';
import { count } from '../../src-shared/text/count.ts';

/** How a state is drawn: `tone` picks the colour (the `tone-…` classes of styles.css); the icon's shape tells the states apart without colour. */
export interface Look {
  icon: string;
  word: string;
  tone: 'idle' | 'busy' | 'good' | 'warn' | 'bad';
}

export const STATUS_LOOK: Record<NodeState, Look> = {
  pending: { icon: '◌', word: 'pending', tone: 'idle' },
  deploying: { icon: '⟳', word: 'deploying', tone: 'busy' },
  alive: { icon: '●', word: 'alive', tone: 'good' },
  down: { icon: '▼', word: 'down', tone: 'warn' },
  failed: { icon: '✕', word: 'failed', tone: 'bad' },
};

export interface RootStatus {
  root: NodeStatusRowView;
  leaves: NodeStatusRowView[];
  /** "2 of 2 leaves alive", "1 of 2 leaves alive, 1 down". */
  leavesText: string;
}

/** Each root's row with its leaves' rows, by the root's node name (`root-1`, the canvas node's id too). */
export function statusByRoot(rows: readonly NodeStatusRowView[]): Map<string, RootStatus> {
  const leaves = new Map<string, NodeStatusRowView[]>();
  for (const row of rows) {
    const name = parseNodeName(row.name);
    if (name?.role === 'leaf') leaves.set(rootNodeName(name.rootId), [...(leaves.get(rootNodeName(name.rootId)) ?? []), row]);
  }
  const byRoot = new Map<string, RootStatus>();
  for (const row of rows) {
    if (row.kind !== 'root') continue;
    const own = leaves.get(row.name) ?? [];
    byRoot.set(row.name, { root: row, leaves: own, leavesText: leavesSummary(own) });
  }
  return byRoot;
}

export function leavesSummary(leaves: readonly NodeStatusRowView[]): string {
  if (leaves.length === 0) return 'no leaves';
  const counts = new Map<NodeState, number>();
  for (const leaf of leaves) counts.set(leaf.status, (counts.get(leaf.status) ?? 0) + 1);
  const others = NODE_STATES.filter((s) => s !== 'alive' && counts.has(s)).map((s) => `${counts.get(s)} ${STATUS_LOOK[s].word}`);
  return [`${counts.get('alive') ?? 0} of ${count(leaves.length, 'leaf', 'leaves')} alive`, ...others].join(', ');
}

/** How long before the status was read the node was last heard; both times are the entry root's, so this machine's clock does not matter. */
export function heartbeatAge(lastHeartbeat: number | null, readAt: number): string {
  if (lastHeartbeat === null) return 'never';
  const seconds = Math.max(0, Math.round((readAt - lastHeartbeat) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} days ago`;
}
