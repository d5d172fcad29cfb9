// Where a deploy stands, for the toolbar, the editor, the graph and the panels: under way or not, whether one may start,
// where it is shown, and how far each node and each root with its leaves has got.
import type { DeployView, OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { parseNodeName, rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { count } from '../../src-shared/text/count.ts';
import type { Look } from './nodeStatus.ts';

export type DeployNodeState = DeployView['nodes'][number]['state'];

export const DEPLOY_LOOK: Record<DeployNodeState, Look> = {
  waiting: { icon: '…', word: 'waiting', tone: 'busy' },
  applied: { icon: '✔', word: 'applied', tone: 'good' },
  failed: { icon: '✕', word: 'failed', tone: 'bad' },
  unreachable: { icon: '▼', word: 'unreachable', tone: 'warn' },
  unchanged: { icon: '=', word: 'unchanged', tone: 'idle' },
  removed: { icon: '−', word: 'removed', tone: 'idle' },
};

/** From `deploy.start` until the outcome: main refuses edits, logging out and a second deploy meanwhile. */
export function deployUnderWay(deploy: DeployView | null): boolean {
  return deploy !== null && deploy.phase !== 'done';
}

/** Why the topology may not be edited now, or null. */
export function editingBlocked(state: OverlayState | null): string | null {
  return deployUnderWay(state?.deploy ?? null) ? 'A deploy is under way: editing is blocked until it is done.' : null;
}

export function canStartDeploy(state: OverlayState | null): boolean {
  return state !== null && state.session.phase === 'in' && !deployUnderWay(state.deploy);
}

/**
 * Where the deploy is shown: the plan dialog while it is prepared and waits for approval; the panel beside the graph
 * while nodes report and, once done, until the administrator closes its summary (`closedAt` is the `startedAt` of the
 * deploy whose summary was closed).
 */
export function deployPlace(deploy: DeployView | null, closedAt: number | null): 'dialog' | 'panel' | null {
  if (deploy === null) return null;
  if (deploy.phase === 'preparing' || deploy.phase === 'planned') return 'dialog';
  return deploy.phase === 'following' || deploy.startedAt !== closedAt ? 'panel' : null;
}

/** "3 of 8 nodes reported": every node that is not waiting has. */
export function reportedText(deploy: DeployView): string {
  const followed = deploy.nodes.filter((n) => n.state !== 'removed');
  const reported = followed.filter((n) => n.state !== 'waiting').length;
  return `${reported} of ${count(followed.length, 'node')} reported`;
}

export interface RootProgress {
  /** The root's own state; undefined when the deploy does not name it. */
  state: DeployNodeState | undefined;
  /** "1 of 2 leaves applied"; empty for a root without leaves in the deploy. */
  leavesText: string;
}

/** Each root's progress in the deploy, by the root's node name, for the graph while nodes report. */
export function progressByRoot(deploy: DeployView): Map<string, RootProgress> {
  const roots = new Map<string, { state: DeployNodeState | undefined; leaves: DeployNodeState[] }>();
  const entry = (name: string) => roots.get(name) ?? roots.set(name, { state: undefined, leaves: [] }).get(name)!;
  for (const node of deploy.nodes) {
    const name = parseNodeName(node.node);
    if (name === undefined) continue;
    const root = entry(rootNodeName(name.rootId));
    if (name.role === 'root') root.state = node.state;
    else root.leaves.push(node.state);
  }
  const progress = new Map<string, RootProgress>();
  for (const [name, { state, leaves }] of roots) {
    const applied = leaves.filter((s) => s === 'applied').length;
    progress.set(name, { state, leavesText: leaves.length === 0 ? '' : `${applied} of ${count(leaves.length, 'leaf', 'leaves')} applied` });
  }
  return progress;
}
