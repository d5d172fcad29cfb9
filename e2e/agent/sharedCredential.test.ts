// The administrator's password across real agents: set at one root, it reaches the others in their heartbeats, so
// no other root still takes the seed's default; and a root just started refuses the default until it hears the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../lab/wait.ts';
import { startCluster, THREE_ROOT_CHAIN } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import type { LoginRequest } from '../../src-shared/protocol/agentApi.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

// Long, so that what arrives within a couple of seconds came with the beat sent when the password changed, not a periodic one.
const INTERVAL_MS = 10_000;
const roots = ['root-1', 'root-2', 'root-3'];
const NEW_PASSWORD = 'set at root one only';
let cluster: Cluster;

const heardEveryRoot = async (root: string) => (await cluster.heardBy(root)).length === 3;

beforeAll(async () => {
  cluster = await startCluster({ neighbours: THREE_ROOT_CHAIN, bundle: await testBundle(), config: { heartbeatIntervalMs: INTERVAL_MS } });
  for (const root of roots) await waitFor(() => heardEveryRoot(root), { timeoutMs: 3 * INTERVAL_MS, what: `${root} to hear every root` });
});

afterAll(async () => {
  await cluster?.stop();
});

async function logIn(root: string, credentials: LoginRequest) {
  const login = await cluster.app(root).login(credentials);
  expect(login.status).toBe(200);
  const session = cluster.app(root, answerOf(login).session);
  await waitFor(async () => answerOf(await session.loginProgress()).phase === 'active', {
    timeoutMs: 15_000,
    what: `the login at ${root} to complete`,
  });
  expect(await session.logout()).toMatchObject({ status: 200 });
}

describe('the administrator credential shared among roots', () => {
  it('a root just started refuses the default password while the roots it knows are not heard from, saying why', async () => {
    const root2 = cluster.agents.get('root-2')!.process.pid!;
    // root-3 hears the others only through root-2: paused, it keeps root-3 from hearing any root after its restart.
    process.kill(root2, 'SIGSTOP');
    try {
      await cluster.restart('root-3');
      const response = await cluster.app('root-3').login({ user: 'administrator', password: 'makeitrain', newPassword: 'a password of root three' });
      expect(response).toMatchObject({ ok: false, status: 503, code: 'unavailable', reason: expect.stringMatching(/root-1, root-2 have not been heard from.*default password is refused/) });
    } finally {
      process.kill(root2, 'SIGCONT');
    }
    await waitFor(() => heardEveryRoot('root-3'), { timeoutMs: 3 * INTERVAL_MS, what: 'root-3 to hear every root again' });
  });

  it('a password set at root-1 reaches root-3 within a beat sent at once: the default is refused there and the new password works', async () => {
    const root3 = cluster.agents.get('root-3')!;
    await logIn('root-1', { user: 'administrator', password: 'makeitrain', newPassword: NEW_PASSWORD });
    // Watched in root-3's log, not by trying the default there: a try before the password arrived would set one.
    await waitFor(() => root3.output.some((line) => line.includes('credential_learned')), { timeoutMs: 3_000, what: 'root-3 to learn the password set at root-1' });
    const byDefault = await cluster.app('root-3').login({ user: 'administrator', password: 'makeitrain', newPassword: 'not to be taken' });
    expect(byDefault).toMatchObject({ ok: false, status: 401, code: 'unauthenticated' });
    await logIn('root-3', { user: 'administrator', password: NEW_PASSWORD });
    await logIn('root-2', { user: 'administrator', password: NEW_PASSWORD });
  });
});
