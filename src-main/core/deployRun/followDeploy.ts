// Following a posted deploy through the entry root's status, pure: each status snapshot (or a poll that got none) and
// the time in, each node's outcome out as soon as it is known: applied (reports the new topology), failed (with its
// reason), or unreachable (with what was last known of it) once it is down while every other node is settled, or when the
// wait ends.
import type { NodeStatus, StatusSnapshot } from '../../../src-shared/protocol/messages.ts';

export type NodeOutcome =
  | { node: string; outcome: 'applied' }
  | { node: string; outcome: 'failed'; reason: string }
  | { node: string; outcome: 'unreachable'; reason: string };

export interface FollowState {
  readonly topologyId: string;
  /** The entry root's name, for reasons. */
  readonly entry: string;
  /** Only a status heard at or after this (the entry root's clock when the deploy was posted) can be about it. */
  readonly since: number;
  /** Failures that were already reported before the deploy, by node: the same one again is not this deploy's answer. */
  readonly staleFailures: ReadonlyMap<string, string>;
  /** On the caller's clock: when the wait ends. */
  readonly deadlineAt: number;
  /** Nodes without an outcome yet, with what was last seen of them. */
  readonly waiting: ReadonlyMap<string, NodeStatus | undefined>;
  /** Why the last poll got no snapshot, if it did not. */
  readonly lastProblem: string | undefined;
}

export type FollowInput =
  | { kind: 'status'; snapshot: StatusSnapshot }
  /** The entry root did not answer, or refused: `reason` says why. */
  | { kind: 'no-status'; reason: string }
  /** The session is gone: no status will come again. */
  | { kind: 'session-ended'; reason: string };

export interface FollowStep {
  state: FollowState;
  /** Outcomes decided by this step, in the order of the nodes followed. */
  outcomes: NodeOutcome[];
  done: boolean;
}

export interface FollowStart {
  topologyId: string;
  entry: string;
  nodes: readonly string[];
  /** The entry root's snapshot taken just before the post. */
  baseline: StatusSnapshot;
  deadlineAt: number;
}

export function startFollow(start: FollowStart): FollowState {
  const before = new Map(start.baseline.nodes.map((s) => [s.node, s]));
  const staleFailures = new Map<string, string>();
  for (const node of start.nodes) {
    const status = before.get(node);
    if (status?.state === 'failed') staleFailures.set(node, status.reason ?? '');
  }
  return {
    topologyId: start.topologyId,
    entry: start.entry,
    since: start.baseline.generatedAt,
    staleFailures,
    deadlineAt: start.deadlineAt,
    waiting: new Map(start.nodes.map((n) => [n, before.get(n)])),
    lastProblem: undefined,
  };
}

export function followStep(state: FollowState, input: FollowInput, now: number): FollowStep {
  const waiting = new Map(state.waiting);
  const outcomes: NodeOutcome[] = [];
  const settle = (outcome: NodeOutcome) => {
    waiting.delete(outcome.node);
    outcomes.push(outcome);
  };

  if (input.kind === 'session-ended') {
    for (const node of waiting.keys()) settle({ node, outcome: 'unreachable', reason: `no status: ${input.reason}` });
    return { state: { ...state, waiting, lastProblem: input.reason }, outcomes, done: true };
  }
  const lastProblem = input.kind === 'no-status' ? input.reason : undefined;
  if (input.kind === 'status') {
    const seen = new Map(input.snapshot.nodes.map((s) => [s.node, s]));
    for (const node of [...waiting.keys()]) {
      const status = seen.get(node);
      waiting.set(node, status);
      const outcome = status === undefined ? undefined : outcomeOf(state, status);
      if (outcome) settle(outcome);
    }
    // Every other node is settled and these are down: the entry root waited three heartbeats already to call them so.
    const down = [...waiting].filter(([, status]) => status?.state === 'down');
    if (down.length > 0 && down.length === waiting.size) {
      for (const [node, status] of down) settle({ node, outcome: 'unreachable', reason: describe(state, status, undefined) });
    }
  }
  if (now >= state.deadlineAt) {
    for (const [node, status] of waiting) {
      const stale = status?.state === 'failed' ? status.reason : undefined;
      settle(stale !== undefined ? { node, outcome: 'failed', reason: stale } : { node, outcome: 'unreachable', reason: describe(state, status, lastProblem) });
    }
  }
  return { state: { ...state, waiting, lastProblem }, outcomes, done: waiting.size === 0 };
}

function outcomeOf(state: FollowState, status: NodeStatus): NodeOutcome | undefined {
  if (status.state === 'alive' && status.topologyId === state.topologyId) return { node: status.node, outcome: 'applied' };
  if (status.state !== 'failed') return undefined;
  const reason = status.reason ?? 'failed';
  const heardSince = status.lastHeartbeat !== null && status.lastHeartbeat >= state.since;
  // A failure reported before the deploy and still the same may be the old one, from before the node heard of this deploy.
  if (!heardSince || state.staleFailures.get(status.node) === reason) return undefined;
  return { node: status.node, outcome: 'failed', reason };
}

/** What was last known of a node that did not report the deploy. */
function describe(state: FollowState, status: NodeStatus | undefined, problem: string | undefined): string {
  if (problem !== undefined) return `${state.entry} did not answer: ${problem}`;
  if (status === undefined) return `${state.entry} has no status for it`;
  const heard = status.lastHeartbeat === null ? 'never heard from' : `last heartbeat ${new Date(status.lastHeartbeat).toISOString()}`;
  switch (status.state) {
    case 'down':
      return `down (${heard})`;
    case 'pending':
      return `${state.entry} has not heard from it (pending)`;
    case 'deploying':
      return `still deploying when the wait ended (${heard})`;
    case 'alive':
      return `still runs ${status.topologyId === null ? 'no topology' : `topology ${status.topologyId}`} (${heard})`;
    case 'failed':
      return status.reason ?? 'failed';
  }
}
