import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src-shared/protocol/audit.ts';
import type { FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import type { LocalLogin } from '../administrator/lockMachine.ts';
import { Refusal } from '../wire/refusal.ts';
import type { Caller } from '../wire/route.ts';
import type { RecordedRoutes } from './auditedRoutes.ts';
import { entry } from './auditEntries.testkit.ts';
import { startAudit } from './startAudit.ts';
import type { AuditOptions } from './startAudit.ts';

const TOKEN = 'session-token-0123456789';
const caller: Caller = { node: undefined, bearer: TOKEN, address: '192.0.2.10' };
const refusing: RecordedRoutes = {
  login: {
    handle: () => {
      throw new Refusal('unauthenticated', 'wrong user name or password');
    },
  },
  logout: { handle: () => ({ json: { loggedOut: true } }) },
  deploy: { handle: (_c, pkg) => ({ json: { topologyId: pkg.topologyId, digest: pkg.digest } }) },
  confirmDeploy: { handle: () => ({ json: { result: 'confirmed', status: { state: 'deployed', at: 1 } } }) },
};

let dir: string;
/** The audits a test started: their writes are done before their folder goes. */
let started: Array<{ settled(): Promise<void> }> = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'audit-'));
});
afterEach(async () => {
  await Promise.all(started.map((audit) => audit.settled()));
  started = [];
  await rm(dir, { recursive: true, force: true });
});

async function root1(options: Partial<AuditOptions> = {}) {
  let t = 1_700_000_000_000;
  let n = 0;
  const flooded: AuditEntry[] = [];
  const logged: Array<[string, Record<string, unknown> | undefined]> = [];
  const audit = await startAudit({
    self: 'root-1',
    rootId: 1,
    dataDir: dir,
    clock: { now: () => t },
    originate: (e) => flooded.push(e),
    log: (event, fields) => logged.push([event, fields]),
    newId: () => `id-${String(++n).padStart(13, '0')}`,
    ...options,
  });
  started.push(audit);
  const routes = audit.routes(refusing, (token) => (token === TOKEN ? 'administrator' : undefined));
  const read = async (query: { since?: number; limit: number } = { limit: 100 }) => {
    const reply = await routes.readAudit.handle(caller, query);
    return 'json' in reply ? reply.json : undefined;
  };
  return { audit, routes, flooded, logged, read, wait: (ms: number) => (t += ms) };
}

const fromRoot = (origin: string, body: AuditEntry): FloodMessageOf<'audit'> => ({ id: `${origin}.5`, origin, type: 'audit', ts: body.at, body, sig: 'A'.repeat(86) });

describe('the audit trail at a root', () => {
  it('records what the application posts, by the session’s administrator from its address, and floods it', async () => {
    const { routes, flooded, read } = await root1();
    const note = { kind: 'psk-rotated', tunnel: 'tunnel-1-2', alreadyMarked: false } as const;
    expect(await routes.recordAudit.handle(caller, note)).toEqual({ json: { id: 'id-0000000000001' } });
    const recorded = { id: 'id-0000000000001', at: 1_700_000_000_000, root: 1, user: 'administrator', address: '192.0.2.10', event: note };
    expect(flooded).toEqual([recorded]);
    expect(await read()).toEqual({ node: 'root-1', entries: [recorded], omitted: 0 });
  });

  it('records refused logins with the name tried made printable, a few per address, the rest counted', async () => {
    const { routes, flooded, wait } = await root1();
    const guess = { user: 'root\u001b[2J\u202egnp.exe', password: 'guess' };
    for (let i = 0; i < 10; i++) await expect(routes.login.handle({ ...caller, bearer: undefined }, guess)).rejects.toBeInstanceOf(Refusal);
    wait(60_000);
    await expect(routes.login.handle({ ...caller, bearer: undefined }, guess)).rejects.toBeInstanceOf(Refusal);
    expect(flooded.map((e) => [e.user, e.address, e.event])).toEqual([
      ...[0, 0, 0].map((alsoRefused) => ['root?[2J?gnp.exe', '192.0.2.10', { kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused }]),
      ['root?[2J?gnp.exe', '192.0.2.10', { kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused: 7 }],
    ]);
  });

  it('counts a login turned away before any password was checked, and tells it with the next refusal recorded', async () => {
    let refusal = new Refusal('unavailable', 'the password checks open to 192.0.2.10 are all running here');
    const { audit, flooded } = await root1();
    const routes = audit.routes(
      {
        ...refusing,
        login: {
          handle: () => {
            throw refusal;
          },
        },
      },
      () => undefined,
    );
    const login = () => expect(routes.login.handle({ ...caller, bearer: undefined }, { user: 'administrator', password: 'x' })).rejects.toBe(refusal);
    await login();
    refusal = new Refusal('rate_limited', 'too many failed logins from 192.0.2.10');
    await login();
    expect(flooded).toEqual([]);
    refusal = new Refusal('conflict', 'administrator "administrator" is logged in at root 2');
    await login();
    expect(flooded.map((e) => e.event)).toEqual([{ kind: 'login-refused', refusal: 'conflict', reason: 'administrator "administrator" is logged in at root 2', alsoRefused: 2 }]);
  });

  it('records the lock’s own changes of this root’s login', async () => {
    const { audit, flooded } = await root1();
    const waiting: LocalLogin = { loginId: 'login-0001', user: 'administrator', phase: 'waiting', startedAt: 0, lastActivity: 0, lastSentAt: 0, acks: [1] };
    audit.onLocalLogin('message', waiting, { ...waiting, phase: 'active' });
    expect(flooded.map((e) => [e.user, e.event])).toEqual([['administrator', { kind: 'lock-held' }]]);
  });

  it('keeps what other roots recorded, but not an entry a root tells of another root', async () => {
    const { audit, read, logged } = await root1();
    const theirs = entry(1_700_000_000_500, { kind: 'logout' }, { root: 2 });
    audit.messageHandlers.audit(fromRoot('root-2', theirs));
    audit.messageHandlers.audit(fromRoot('root-3', entry(1_700_000_000_600, { kind: 'logout' }, { root: 2 })));
    expect((await read())?.entries).toEqual([theirs]);
    expect(logged.map(([event]) => event)).toEqual(['audit_entry_refused']);
  });

  it('keeps its entries across a restart', async () => {
    const first = await root1();
    await first.routes.recordAudit.handle(caller, { kind: 'certificate-revoked', subject: 'leaf-2-1', rootId: 2, revoked: 2 });
    first.audit.messageHandlers.audit(fromRoot('root-2', entry(1_700_000_001_000, { kind: 'logout' }, { root: 2 })));
    await first.audit.settled();
    const before = (await first.read())?.entries;
    const again = await root1();
    expect((await again.read())?.entries).toEqual(before);
    expect(before).toHaveLength(2);
  });

  it('reports a corrupt file, keeps it aside, and begins a new trail', async () => {
    await writeFile(path.join(dir, 'audit-log.json'), '{"version": 1, "entries": [{"id": "x"}]}');
    const { read, logged } = await root1();
    expect((await read())?.entries).toEqual([]);
    expect(logged).toEqual([['audit_file_problem', { problem: expect.stringMatching(/^the audit file was corrupt .*; kept it as .*audit-log\.json\.corrupt-/) }]]);
    expect((await readdir(dir)).some((f) => f.startsWith('audit-log.json.corrupt-'))).toBe(true);
  });

  it('refuses a post it could not record, keeping nothing', async () => {
    const { routes, read, logged } = await root1({
      originate: () => {
        throw new Error('the flood refused the body');
      },
    });
    expect(() => routes.recordAudit.handle(caller, { kind: 'psk-rotated', tunnel: 'tunnel-1-2', alreadyMarked: true })).toThrow('could not be recorded');
    expect((await read())?.entries).toEqual([]);
    expect(logged).toEqual([['audit_record_failed', { kind: 'psk-rotated', error: 'Error: the flood refused the body' }]]);
  });
});
