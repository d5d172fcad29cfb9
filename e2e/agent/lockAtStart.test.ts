// The administrator lock right after a root starts, across real agents: before any heartbeat has reached it, a login there
// waits for the roots it knows of (its neighbours, and the roots it heard before the restart) instead of completing with
// its own acknowledgement alone; a root that stays silent stops counting once it is down, three intervals after the start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../lab/wait.ts';
import { startCluster, THREE_ROOT_CHAIN } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

// Long enough that a restart and a login fit well inside the three intervals in which unheard roots still count.
const INTERVAL_MS = 4_000;
let cluster: Cluster;

beforeAll(async () => {
  // A chain: root-3 is no neighbour of root-1, which knows it only from its heartbeats before the restart.
  cluster = await startCluster({
    neighbours: THREE_ROOT_CHAIN,
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: INTERVAL_MS },
  });
  // Both other roots: a login is refused (503) while root-1 still waits to hear any root it knows of.
  await waitFor(
    async () => {
      const heard = await cluster.heardBy('root-1');
      return ['root-2', 'root-3'].every((root) => heard.includes(root));
    },
    { timeoutMs: 15_000, what: 'root-1 to hear root-2 and root-3' },
  );
  // Set the password now: a root just restarted refuses the default until it hears the roots it knows.
  const session = await login();
  await waitFor(async () => (await progress(session)).phase === 'active', { timeoutMs: 15_000, what: 'the first login to complete' });
  expect(await cluster.app('root-1', session).logout()).toMatchObject({ status: 200 });
});

afterAll(async () => {
  await cluster?.stop();
});

let password = 'makeitrain';
/** Logs in at root-1, changing the password the first time (the default one must be changed at first login). */
async function login() {
  const newPassword = 'lock at start secret';
  const response = await cluster.app('root-1').login({ user: 'administrator', password, ...(password === newPassword ? {} : { newPassword }) });
  expect(response.status).toBe(200);
  password = newPassword;
  return answerOf(response).session;
}
const progress = async (session: string) => answerOf(await cluster.app('root-1', session).loginProgress());
/** root-3's state in root-1's status, or `forgotten` when root-1 no longer lists it. */
async function root3AtRoot1(): Promise<string> {
  const { nodes } = (await cluster.request('root-1', 'GET', '/v1/status')).json as { nodes: { node: string; state: string }[] };
  return nodes.find((n) => n.node === 'root-3')?.state ?? 'forgotten';
}

/** Runs `during` with the given agents paused (SIGSTOP): they hear nothing and say nothing, yet are not down at once. */
async function paused<T>(nodes: string[], during: () => Promise<T>): Promise<T> {
  const pids = nodes.map((node) => cluster.agents.get(node)!.process.pid!);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  try {
    return await during();
  } finally {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }
}

describe('the administrator lock right after a root starts', () => {
  it('waits for its neighbour and for a root it heard before the restart, and completes with their acknowledgements', async () => {
    const session = await paused(['root-2', 'root-3'], async () => {
      await cluster.restart('root-1');
      const session = await login();
      // Nobody has been heard since the start: both others are pending, and the login waits for them.
      expect(await progress(session)).toMatchObject({ phase: 'waiting', acknowledged: 1, expected: 3, waitingFor: [2, 3] });
      return session;
    });
    await waitFor(async () => (await progress(session)).phase === 'active', { timeoutMs: 15_000, what: 'the login to complete' });
    expect(await progress(session)).toMatchObject({ phase: 'active', acknowledged: 3, expected: 3, waitingFor: [] });
    expect(await cluster.app('root-1', session).logout()).toMatchObject({ status: 200 });
  });

  it('stops waiting for a root that stays silent once it is down, three intervals after the start', async () => {
    await paused(['root-3'], async () => {
      await cluster.restart('root-1');
      const session = await login();
      // Timed by root-1 itself: its status, read after the login's progress, says whether root-3 still counted then.
      const seen: { phase: unknown; waitingFor: unknown; root3: string }[] = [];
      await waitFor(
        async () => {
          const { phase, waitingFor } = await progress(session);
          seen.push({ phase, waitingFor, root3: await root3AtRoot1() });
          return phase === 'active';
        },
        { timeoutMs: 4 * INTERVAL_MS + 5_000, intervalMs: 100, what: 'the login to complete' },
      );
      expect(seen[0]).toEqual({ phase: 'waiting', waitingFor: expect.arrayContaining([3]), root3: 'pending' });
      expect(seen.filter((s) => s.root3 === 'pending' && s.phase !== 'waiting')).toEqual([]);
      // root-3 is in no overlay root-1 knows (no topology is deployed, and it is no neighbour): once down it is forgotten.
      expect(seen.at(-1)).toEqual({ phase: 'active', waitingFor: [], root3: 'forgotten' });
      expect(await progress(session)).toMatchObject({ phase: 'active', acknowledged: 2, expected: 2, waitingFor: [] });
      expect(await cluster.app('root-1', session).logout()).toMatchObject({ status: 200 });
    });
  });
});
