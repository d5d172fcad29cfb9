// Password guessing from 40 rotating source addresses (127.0.0.2 … 127.0.0.41) while the administrator, who logged in
// before from 127.0.0.1, logs in again: the administrator gets in every time, and the guesses get no more password
// checks than the overall budget allows.
import { Agent, request as httpsRequest } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHECK_BUDGET_DEFAULTS } from '../../../src-agent/administrator/checkBudget.ts';
import { agentApi } from '../../../src-shared/protocol/agentApi.ts';
import { waitFor } from '../../lab/wait.ts';
import { startCluster } from '../agentCluster.ts';
import type { Cluster } from '../agentCluster.ts';
import { answerOf } from '../answerOf.ts';
import { testBundle } from '../testBundle.ts';

const GUESSERS = Array.from({ length: 40 }, (_, i) => `127.0.0.${i + 2}`);
/** The attack: each guesser sends a guess every GUESS_EVERY_MS for ATTACK_MS (at most 3,200 requests in all). */
const ATTACK_MS = 8_000;
const GUESS_EVERY_MS = 100;
/** When into the attack the administrator logs in again (and out after each). */
const ADMIN_AT_MS = [1_000, 3_500, 6_000];
const PASSWORD = 'the administrator knows this one';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ neighbours: new Map([['root-1', []]]), bundle: await testBundle() });
  const first = answerOf(await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: PASSWORD }));
  await waitFor(async () => answerOf(await cluster.app('root-1', first.session).loginProgress()).phase === 'active', { timeoutMs: 10_000, what: 'the first login to complete' });
  answerOf(await cluster.app('root-1', first.session).logout());
});

afterAll(async () => {
  await cluster?.stop();
});

/** One guesser's login requests from its own source address, on one kept-alive connection (the app's client cannot choose its address). */
function guesserAt(localAddress: string) {
  const agent = cluster.agents.get('root-1')!;
  const pool = new Agent({
    keepAlive: true,
    maxSockets: 1,
    ca: cluster.controlCa.certPem,
    checkServerIdentity: (_host: string, cert: PeerCertificate) => (cert.subject?.CN === 'root-1' ? undefined : new Error(`not root-1: ${String(cert.subject?.CN)}`)),
  });
  const guess = (password: string) =>
    new Promise<number>((resolve, reject) => {
      const body = Buffer.from(JSON.stringify({ user: 'administrator', password }));
      const req = httpsRequest(new URL(agentApi.login.path, agent.url), { method: 'POST', agent: pool, localAddress, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return { guess, close: () => pool.destroy() };
}

it('lets the administrator in from a known address while 40 addresses guess, and checks no more guesses than the budget', async () => {
  const statuses = new Map<number, number>();
  const started = Date.now();
  const end = started + ATTACK_MS;
  const guessers = GUESSERS.map(guesserAt);
  const attack = Promise.all(
    guessers.map(async ({ guess }, source) => {
      for (let i = 0; Date.now() < end; i++) {
        const status = await guess(`guess ${source}.${i}`);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        await sleep(GUESS_EVERY_MS);
      }
    }),
  );
  const admin: Array<number | undefined> = [];
  try {
    for (const at of ADMIN_AT_MS) {
      await sleep(started + at - Date.now());
      const login = await cluster.app('root-1').login({ user: 'administrator', password: PASSWORD });
      admin.push(login.status);
      if (login.ok) {
        await waitFor(async () => answerOf(await cluster.app('root-1', login.answer.session).loginProgress()).phase === 'active', { timeoutMs: 5_000, what: 'the login to complete' });
        answerOf(await cluster.app('root-1', login.answer.session).logout());
      }
    }
    await attack;
  } finally {
    for (const guesser of guessers) guesser.close();
  }
  const elapsedMs = Date.now() - started;

  // A guess that was checked is answered 401; one turned away before its check, 429 (rate) or 503 (no free check slot).
  const checked = statuses.get(401) ?? 0;
  // The general share: a minute's worth at once, then its rate (none of the guessers ever logged in, so no reserved share).
  const budget = Math.floor(CHECK_BUDGET_DEFAULTS.perMinute * (1 + elapsedMs / 60_000));
  expect({ admin, checkedAtMost: checked <= budget, others: [...statuses.keys()].filter((s) => ![401, 429, 503].includes(s)) }, `guesses checked: ${checked} (budget ${budget}), answers: ${JSON.stringify([...statuses])}`).toEqual({
    admin: ADMIN_AT_MS.map(() => 200),
    checkedAtMost: true,
    others: [],
  });
  expect(statuses.get(429)).toBeGreaterThan(0);
}, 30_000);
