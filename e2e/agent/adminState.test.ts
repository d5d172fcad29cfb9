// The administrator's state across real agents, three roots in a chain (root-1 – root-2 – root-3) and a leaf of root-2:
// a state put at root-1 is read at root-3, which got it only through root-2, page by page as the application reads it;
// the newest put is kept everywhere; a root down meanwhile catches up when it is back, and its older state replaces
// nothing; a root that lost its state asks a neighbour for it; a state too large or malformed is refused; a leaf keeps
// none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fetchAdminState } from '../../src-main/core/adminState/fetchAdminState.ts';
import type { AgentMethods } from '../../src-main/core/agentClient/agentClient.ts';
import { ADMIN_STATE_MAX_BYTES, ADMIN_STATE_PAGE_CHARS } from '../../src-shared/protocol/adminState.ts';
import type { AdminState, AdminStateHead } from '../../src-shared/protocol/adminState.ts';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import { sampleAdminState } from '../../src-shared/protocol/adminState.testkit.ts';
import { waitFor } from '../lab/wait.ts';
import { startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

const ROOTS = ['root-1', 'root-2', 'root-3'];
const PASSWORD = 'a much better secret';
/** Over two pages of what a session reads at a time. */
const LARGE = Math.round(2.5 * ADMIN_STATE_PAGE_CHARS);

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    neighbours: new Map([
      ['root-1', ['root-2']],
      ['root-2', ['root-1', 'root-3', 'leaf-2-1']],
      ['root-3', ['root-2']],
      ['leaf-2-1', ['root-2']],
    ]),
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 500 },
  });
  await cluster.allHeard(ROOTS, 15_000);
  const first = answerOf(await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: PASSWORD }));
  await waitFor(async () => answerOf(await cluster.app('root-1', first.session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'the first login' });
  answerOf(await cluster.app('root-1', first.session).logout());
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/**
 * Runs `work` in a session of its own at `root`, logged out after. A login refused is tried again, as a user would: a
 * root just restarted may hear a session that ended (its messages passed on late) and refuse for a while.
 */
async function inSession<T>(root: string, work: (api: AgentMethods) => Promise<T>): Promise<T> {
  let session = '';
  await waitFor(
    async () => {
      if (session === '') {
        const login = await cluster.app(root).login({ user: 'administrator', password: PASSWORD });
        if (!login.ok && login.code === 'conflict') return false;
        session = answerOf(login).session;
      }
      const { phase } = answerOf(await cluster.app(root, session).loginProgress());
      if (phase === 'refused' || phase === 'ended') session = '';
      return phase === 'active';
    },
    { timeoutMs: 30_000, intervalMs: 100, what: `the login at ${root}` },
  );
  try {
    return await work(cluster.app(root, session));
  } finally {
    answerOf(await cluster.app(root, session).logout());
  }
}

const put = (root: string, state: AdminState) => inSession(root, async (api) => answerOf(await api.putAdminState(state)));

/** Waits until `root` keeps the state of `head`, and gives the state it keeps, read as the application reads it. */
async function keptAt(root: string, head: AdminStateHead) {
  return inSession(root, async (api) => {
    let fetched: Awaited<ReturnType<typeof fetchAdminState>> | undefined;
    await waitFor(async () => (fetched = await fetchAdminState(api)).kind === 'state' && fetched.head.digest === head.digest, { timeoutMs: 15_000, what: `${root} to keep ${head.topologyId}` });
    return fetched!;
  });
}

const stateFile = (root: string) => path.join(cluster.agents.get(root)!.dataDir, 'admin-state.json');

describe('the administrator state on every root', () => {
  let first: AdminStateHead;

  it('put at root-1 is read at root-3, page by page, as it was put; a put repeated changes nothing', async () => {
    const state = sampleAdminState('topology-1', LARGE);
    const answer = await put('root-1', state);
    expect(answer).toMatchObject({ kept: 'new', head: { topologyId: 'topology-1', storedBy: 1 } });
    first = answer.head;
    expect(first.size).toBeGreaterThan(2 * ADMIN_STATE_PAGE_CHARS);
    const read = await keptAt('root-3', first);
    expect(read).toMatchObject({ kind: 'state', head: first, kept: { storedBy: 1, state } });
    expect(await put('root-1', state)).toEqual({ kept: 'same', head: first });
    // Kept on disk at every root, the owner's alone.
    for (const root of ROOTS) {
      await waitFor(() => JSON.parse(readFileSync(stateFile(root), 'utf8')).state.topologyId === 'topology-1', { timeoutMs: 5_000, what: `${root}'s file` });
      expect(statSync(stateFile(root)).mode & 0o777).toBe(0o600);
    }
  });

  it('keeps the newest put everywhere; a root down meanwhile catches up once back, and its older state replaces nothing', async () => {
    const second = await put('root-3', sampleAdminState('topology-2', 64, 'B'));
    expect(second.head.storedBy).toBe(3);
    expect(await keptAt('root-1', second.head)).toMatchObject({ head: second.head });

    await cluster.kill('root-3');
    // Taken for down, root-3 is no longer waited for by the login below.
    await waitFor(() => isDown('root-2', 'root-3'), { timeoutMs: 15_000, what: 'root-3 to be taken for down' });
    const third = await put('root-1', sampleAdminState('topology-3', 64, 'C'));
    await cluster.restart('root-3');
    await cluster.allHeard(ROOTS, 15_000);
    expect(await keptAt('root-3', third.head)).toMatchObject({ head: third.head });
    expect(await keptAt('root-2', third.head)).toMatchObject({ head: third.head });
    expect(cluster.agents.get('root-3')!.output.some((line) => line.includes('"event":"admin_state_kept"') && line.includes('topology-3'))).toBe(true);
  });

  it('a root that lost its state gets it back from a neighbour root when it starts, with no state put meanwhile', async () => {
    const { head: kept } = await inSession('root-2', async (api) => answerOf(await api.readAdminState({})));
    await cluster.kill('root-3');
    rmSync(stateFile('root-3'));
    await cluster.restart('root-3');
    await cluster.allHeard(ROOTS, 15_000);
    expect(await keptAt('root-3', kept)).toMatchObject({ head: kept });
  });

  it.each([
    ['too large', sampleAdminState('topology-4', ADMIN_STATE_MAX_BYTES), 413, 'too_large'],
    ['malformed: keys that only one machine opens', { ...sampleAdminState('topology-4'), keys: { ...sampleAdminState().keys, osKey: { box: 'electron-safe-storage', ct: 'AAAA' } } }, 400, 'malformed'],
  ])('refuses a state %s, and keeps the one it had', async (_what, state, status, code) => {
    const [refused, read] = await inSession('root-1', async (api) => [await api.putAdminState(state as AdminState), await fetchAdminState(api)] as const);
    expect(refused).toMatchObject({ ok: false, status, code });
    expect(read).toMatchObject({ kind: 'state', head: { topologyId: 'topology-3' } });
  });

  it('is kept by roots only: a leaf serves none, and was never given one', async () => {
    const asked = await cluster.request('leaf-2-1', 'POST', agentApi.readAdminState.path, {});
    expect(asked).toMatchObject({ status: 404, json: { error: 'not_found', reason: 'leaf-2-1 is a leaf: only roots serve this; ask its root' } });
    expect(() => statSync(stateFile('leaf-2-1'))).toThrow('ENOENT');
  });
});

/** Whether `root`'s status shows `node` down. */
async function isDown(root: string, node: string): Promise<boolean> {
  const { json } = await cluster.request(root, 'GET', agentApi.status.path);
  return (json as { nodes: Array<{ node: string; state: string }> }).nodes.some((n) => n.node === node && n.state === 'down');
}
