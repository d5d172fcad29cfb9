// The audit trail across real agents, three roots in a chain (root-1 – root-2 – root-3): a login refused at root-3, a
// session at root-1 with what the application records in it, and its logout, all read back at root-3, which heard of
// root-1's entries only through root-2; and read again after root-3 restarts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-shared/protocol/audit.ts';
import { waitFor } from '../lab/wait.ts';
import { startCluster, THREE_ROOT_CHAIN } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

const ROOTS = ['root-1', 'root-2', 'root-3'];
const PASSWORD = 'a much better secret';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ neighbours: THREE_ROOT_CHAIN, bundle: await testBundle(), config: { heartbeatIntervalMs: 500 } });
  await cluster.allHeard(ROOTS, 15_000);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** Logs in at `root` and waits for the lock; the session's token. */
async function logIn(root: string, login: { user: string; password: string; newPassword?: string }): Promise<string> {
  const { session } = answerOf(await cluster.app(root).login(login));
  await waitFor(async () => answerOf(await cluster.app(root, session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: `the login at ${root}` });
  return session;
}

/** Runs `read` in a session of its own at `root`, logged out after. */
async function inSession<T>(root: string, read: (api: ReturnType<Cluster['app']>) => Promise<T>): Promise<T> {
  const session = await logIn(root, { user: 'administrator', password: PASSWORD });
  try {
    return await read(cluster.app(root, session));
  } finally {
    answerOf(await cluster.app(root, session).logout());
  }
}

/** What `root` keeps, oldest first. */
const trailAt = (root: string) => inSession(root, async (api) => answerOf(await api.readAudit({ limit: 100 })).entries);
const rows = (entries: readonly AuditEntry[]) => entries.map((e) => [e.root, e.user, e.address, e.event.kind]);

describe('the audit trail', () => {
  it('has every root keep what each recorded: a refused login, a session with the application’s note, its logout', async () => {
    const refused = await cluster.app('root-3').login({ user: 'mallory\u202egnp.exe', password: 'guess' });
    expect(refused).toMatchObject({ ok: false, code: 'unauthenticated' });

    const session = await logIn('root-1', { user: 'administrator', password: 'makeitrain', newPassword: PASSWORD });
    const noted = answerOf(await cluster.app('root-1', session).recordAudit({ kind: 'psk-rotated', tunnel: 'tunnel-1-2', alreadyMarked: false }));
    answerOf(await cluster.app('root-1', session).logout());

    // root-1's entries reach root-3 through root-2; root-3 adds its own session's login and lock to read them.
    const entries = await inSession('root-3', async (api) => {
      let read: AuditEntry[] = [];
      await waitFor(async () => (read = answerOf(await api.readAudit({ limit: 100 })).entries).some((e) => e.root === 1 && e.event.kind === 'logout'), {
        timeoutMs: 15_000,
        what: "root-1's logout at root-3",
      });
      expect(answerOf(await api.readAudit({})).node).toBe('root-3');
      return read;
    });
    expect(rows(entries)).toEqual([
      [3, 'mallory?gnp.exe', '127.0.0.1', 'login-refused'],
      [1, 'administrator', '127.0.0.1', 'login'],
      [1, 'administrator', undefined, 'lock-held'],
      [1, 'administrator', '127.0.0.1', 'psk-rotated'],
      [1, 'administrator', '127.0.0.1', 'logout'],
      [3, 'administrator', '127.0.0.1', 'login'],
      [3, 'administrator', undefined, 'lock-held'],
    ]);
    expect(entries.find((e) => e.id === noted.id)?.event).toEqual({ kind: 'psk-rotated', tunnel: 'tunnel-1-2', alreadyMarked: false });
    expect(entries[0]?.event).toEqual({ kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused: 0 });
    expect(JSON.stringify(entries)).not.toContain(PASSWORD);
    expect(JSON.stringify(entries)).not.toContain('guess');
  });

  it('gives the same trail at root-2, and keeps it at root-3 across a restart', async () => {
    const before = await trailAt('root-3');
    const atRoot2 = await trailAt('root-2');
    expect(atRoot2.map((e) => e.id)).toEqual(expect.arrayContaining(before.map((e) => e.id)));
    await cluster.restart('root-3');
    await cluster.allHeard(ROOTS, 15_000);
    const after = await trailAt('root-3');
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('answers since a time and within a limit, newest last', async () => {
    const [all, some] = await inSession('root-1', async (api) => {
      const everything = answerOf(await api.readAudit({ limit: 100 })).entries;
      return [everything, answerOf(await api.readAudit({ since: everything[3]!.at, limit: 2 }))] as const;
    });
    const matching = all.filter((e) => e.at >= all[3]!.at);
    expect(matching.length).toBeGreaterThan(2);
    expect(some).toMatchObject({ entries: matching.slice(-2), omitted: matching.length - 2 });
  });
});
