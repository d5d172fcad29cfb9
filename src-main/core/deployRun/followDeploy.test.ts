import { describe, expect, it } from 'vitest';
import type { NodeStatus, StatusSnapshot } from '../../../src-shared/protocol/messages.ts';
import { followStep, startFollow } from './followDeploy.ts';
import type { FollowInput, FollowState } from './followDeploy.ts';

const T = 'topo-2';
const POSTED = 1_000_000;
const NODES = ['root-1', 'leaf-1-1', 'root-2'];

function status(node: string, state: NodeStatus['state'], fields: Partial<NodeStatus> = {}): NodeStatus {
  return { node, state, lastHeartbeat: POSTED + 100, topologyId: null, ...(state === 'failed' ? { reason: 'it broke' } : {}), ...fields };
}
const snapshot = (...nodes: NodeStatus[]): StatusSnapshot => ({ node: 'root-1', generatedAt: POSTED, nodes });
const alive = (node: string, topologyId = T) => status(node, 'alive', { topologyId });

function start(baseline: NodeStatus[] = NODES.map((n) => alive(n, 'topo-1'))): FollowState {
  return startFollow({ topologyId: T, entry: 'root-1', nodes: NODES, baseline: { node: 'root-1', generatedAt: POSTED, nodes: baseline }, deadlineAt: 60_000 });
}

/** Feeds the inputs in turn at the given times; every outcome in order, and whether the last step was done. */
function run(state: FollowState, steps: Array<[FollowInput, number]>) {
  const outcomes = [];
  let done = false;
  for (const [input, now] of steps) {
    const step = followStep(state, input, now);
    state = step.state;
    outcomes.push(...step.outcomes);
    done = step.done;
  }
  return { outcomes, done, state };
}

describe('following a deploy', () => {
  it('tells each node as it reports the new topology, and is done when all have', () => {
    const { outcomes, done } = run(start(), [
      [{ kind: 'status', snapshot: snapshot(alive('root-1'), alive('leaf-1-1', 'topo-1'), status('root-2', 'deploying')) }, 1_000],
      [{ kind: 'status', snapshot: snapshot(alive('root-1'), alive('leaf-1-1'), alive('root-2')) }, 2_000],
    ]);
    expect(outcomes).toEqual([
      { node: 'root-1', outcome: 'applied' },
      { node: 'leaf-1-1', outcome: 'applied' },
      { node: 'root-2', outcome: 'applied' },
    ]);
    expect(done).toBe(true);
  });

  it.each([
    {
      name: 'a failure heard after the post is this deploy\'s',
      baseline: undefined,
      seen: status('root-2', 'failed', { reason: 'apply failed: no openvpn' }),
      outcome: { node: 'root-2', outcome: 'failed', reason: 'apply failed: no openvpn' },
    },
    {
      name: 'a failure last heard before the post is not',
      baseline: undefined,
      seen: status('root-2', 'failed', { lastHeartbeat: POSTED - 1 }),
      outcome: undefined,
    },
    {
      name: 'the same failure as before the post may be the old one',
      baseline: status('root-2', 'failed', { reason: 'old', lastHeartbeat: POSTED - 5 }),
      seen: status('root-2', 'failed', { reason: 'old' }),
      outcome: undefined,
    },
    {
      name: 'another failure than before the post is this deploy\'s',
      baseline: status('root-2', 'failed', { reason: 'old', lastHeartbeat: POSTED - 5 }),
      seen: status('root-2', 'failed', { reason: 'new' }),
      outcome: { node: 'root-2', outcome: 'failed', reason: 'new' },
    },
    { name: 'alive on the old topology is still waiting', baseline: undefined, seen: alive('root-2', 'topo-1'), outcome: undefined },
    { name: 'deploying is still waiting', baseline: undefined, seen: status('root-2', 'deploying'), outcome: undefined },
  ])('$name', ({ baseline, seen, outcome }) => {
    const before = NODES.map((n) => alive(n, 'topo-1')).map((s) => (baseline && s.node === baseline.node ? baseline : s));
    const { outcomes } = run(start(before), [[{ kind: 'status', snapshot: snapshot(seen) }, 1_000]]);
    expect(outcomes).toEqual(outcome ? [outcome] : []);
  });

  it('calls a down node unreachable as soon as every other node is settled, not before', () => {
    const down = status('leaf-1-1', 'down', { lastHeartbeat: 0 });
    const { outcomes, done } = run(start(), [
      [{ kind: 'status', snapshot: snapshot(alive('root-1'), down, status('root-2', 'deploying')) }, 1_000],
      [{ kind: 'status', snapshot: snapshot(alive('root-1'), down, alive('root-2')) }, 2_000],
    ]);
    expect(outcomes).toEqual([
      { node: 'root-1', outcome: 'applied' },
      { node: 'root-2', outcome: 'applied' },
      { node: 'leaf-1-1', outcome: 'unreachable', reason: 'down (last heartbeat 1970-01-01T00:00:00.000Z)' },
    ]);
    expect(done).toBe(true);
  });

  it.each([
    { name: 'no status for it', seen: [], reason: 'root-1 has no status for it' },
    { name: 'pending', seen: [status('root-2', 'pending', { lastHeartbeat: null })], reason: 'root-1 has not heard from it (pending)' },
    { name: 'still deploying', seen: [status('root-2', 'deploying', { lastHeartbeat: 0 })], reason: 'still deploying when the wait ended (last heartbeat 1970-01-01T00:00:00.000Z)' },
    { name: 'still on the old topology', seen: [alive('root-2', 'topo-1')], reason: /^still runs topology topo-1 \(last heartbeat / },
  ])('at the deadline, a node with no outcome is unreachable, saying what was last known: $name', ({ seen, reason }) => {
    const { outcomes, done } = run(start(), [
      [{ kind: 'status', snapshot: snapshot(alive('root-1'), alive('leaf-1-1'), ...seen) }, 1_000],
      [{ kind: 'status', snapshot: snapshot(alive('root-1'), alive('leaf-1-1'), ...seen) }, 60_000],
    ]);
    expect(outcomes.at(-1)).toEqual({ node: 'root-2', outcome: 'unreachable', reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
    expect(done).toBe(true);
  });

  it('at the deadline, a failure that may be the old one is reported as a failure', () => {
    const old = status('root-2', 'failed', { reason: 'old', lastHeartbeat: POSTED - 5 });
    const { outcomes } = run(start([alive('root-1', 'topo-1'), alive('leaf-1-1', 'topo-1'), old]), [
      [{ kind: 'status', snapshot: snapshot(alive('root-1'), alive('leaf-1-1'), status('root-2', 'failed', { reason: 'old' })) }, 60_000],
    ]);
    expect(outcomes.at(-1)).toEqual({ node: 'root-2', outcome: 'failed', reason: 'old' });
  });

  it('keeps polling through an entry root that does not answer, and says so if that lasts to the deadline', () => {
    const { outcomes, done } = run(start(), [
      [{ kind: 'no-status', reason: 'connection refused' }, 1_000],
      [{ kind: 'no-status', reason: 'connection refused' }, 59_999],
    ]);
    expect(outcomes).toEqual([]);
    expect(done).toBe(false);
    const end = run(start(), [[{ kind: 'no-status', reason: 'connection refused' }, 60_000]]);
    expect(end.outcomes).toEqual(NODES.map((node) => ({ node, outcome: 'unreachable', reason: 'root-1 did not answer: connection refused' })));
  });

  it('stops at once when the session ended', () => {
    const { outcomes, done } = run(start(), [
      [{ kind: 'status', snapshot: snapshot(alive('root-1')) }, 1_000],
      [{ kind: 'session-ended', reason: 'the session at root-1 ended (expired)' }, 2_000],
    ]);
    expect(outcomes.slice(1)).toEqual([
      { node: 'leaf-1-1', outcome: 'unreachable', reason: 'no status: the session at root-1 ended (expired)' },
      { node: 'root-2', outcome: 'unreachable', reason: 'no status: the session at root-1 ended (expired)' },
    ]);
    expect(done).toBe(true);
  });

  it('gives each node one outcome only', () => {
    const { outcomes } = run(start(), [
      [{ kind: 'status', snapshot: snapshot(alive('root-1')) }, 1_000],
      [{ kind: 'status', snapshot: snapshot(status('root-1', 'failed', { reason: 'later' })) }, 2_000],
    ]);
    expect(outcomes).toEqual([{ node: 'root-1', outcome: 'applied' }]);
  });
});
