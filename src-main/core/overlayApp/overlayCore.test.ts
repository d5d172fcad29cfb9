import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OverlayState } from '../../../src-shared/contract/overlayContract.ts';
import type { LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { overlayStateDir } from '../deployRun/overlayState.ts';
import { fakeAccess, fakeOverlay } from '../deployRun/fakeOverlay.testkit.ts';
import type { FakeOverlay } from '../deployRun/fakeOverlay.testkit.ts';
import { answered, fakeAgent, refused } from '../session/fakeAgent.testkit.ts';
import type { FakeAgent, FakeHandlers } from '../session/fakeAgent.testkit.ts';
import { manualClock } from '../session/manualClock.testkit.ts';
import type { ManualClock } from '../session/manualClock.testkit.ts';
import { openTopologyStore } from '../topologyStore/topologyStore.ts';
import { testUnlocker } from '../secrets/unlocker.testkit.ts';
import type { TopologyStore } from '../topologyStore/topologyStore.ts';
import { createOverlayCore } from './overlayCore.ts';
import { keptStateText } from '../../../src-shared/protocol/adminState.ts';
import { keptState, sampleRecord, sealedKeys } from '../adminState/adminState.testkit.ts';
import { TEST_PASSPHRASE } from '../secrets/unlocker.testkit.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import type { OverlayCore, OverlayCoreOptions } from './overlayCore.ts';

const NODES = ['root-1', 'leaf-1-1', 'root-2', 'leaf-2-1'];
const access = fakeAccess(Object.fromEntries(NODES.map((n) => [n, 'dry-run'])));
const TOPOLOGY = { roots: [1, 2].map((id) => makeRoot(id, { maxClients: 50 })), tunnels: [{ a: 1, b: 2 }] };
const TOKEN = 'session-token-0123456789';
const IDLE_MS = 60_000;
const WARN_MS = 10_000;

const progress = (phase: LoginProgress['phase'], acknowledged: number, waitingFor: number[]): LoginProgress => ({ loginId: 'login-0123456789', phase, acknowledged, expected: 2, waitingFor });

let dir: string;
let clock: ManualClock;
let overlay: FakeOverlay;
let store: TopologyStore;
let agents: FakeAgent[];
let cores: OverlayCore[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-overlay-core-'));
  clock = manualClock(Date.parse('2026-12-07T12:00:00Z'));
  overlay = fakeOverlay(NODES, clock);
  store = await openTopologyStore({ file: path.join(dir, 'pending.json') });
  await store.save(TOPOLOGY);
  agents = [];
  cores = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The entry root: root-2 acknowledges the lock at the second poll; status and deploys go to the fake overlay. */
function entryRoot(extra: FakeHandlers = {}): FakeAgent {
  const polls = [progress('waiting', 1, [2]), progress('active', 2, [])];
  return fakeAgent({
    login: () => answered<'login'>({ session: TOKEN, loginId: 'login-0123456789', progress: progress('waiting', 1, [2]) }),
    loginProgress: () => answered<'loginProgress'>(polls.shift() ?? progress('active', 2, [])),
    logout: () => answered<'logout'>({ loggedOut: true }),
    status: () => overlay.entry.status(),
    deploy: (body) => overlay.entry.deploy(body as never),
    confirmDeploy: (body) => overlay.entry.confirmDeploy(body as never),
    recordAudit: () => answered<'recordAudit'>({ id: 'audit-entry-0001' }),
    readAdminState: () => refused('not_found', 'no administrator state kept here', 404),
    putAdminState: (body) => overlay.entry.putAdminState(body as never),
    ...extra,
  });
}

function open(extra: FakeHandlers = {}, options: Partial<OverlayCoreOptions> = {}) {
  const states: OverlayState[] = [];
  const secrets = testUnlocker();
  const core = createOverlayCore({
    overlay: { access, sandbox: true, passwords: { readKept: async () => 'kept secret' }, secrets, keys: keptOverlayKeys(path.join(overlayStateDir(dir, access), KEYS_FILE), secrets) },
    store,
    stateDir: dir,
    clientFor: () => {
      const agent = entryRoot(extra);
      agents.push(agent);
      return agent;
    },
    now: clock.now,
    timers: clock,
    idleMs: IDLE_MS,
    warnMs: WARN_MS,
    logError: (message) => {
      throw new Error(message);
    },
    ...options,
  });
  cores.push(core);
  core.part.subscribe((_event, state) => {
    states.push(state as OverlayState);
    for (const check of stateListeners) check();
  });
  const last = () => states.at(-1)!;
  const call = core.part.handlers;
  /** Logs in as the administrator, once every root acknowledged. */
  const logIn = () => settle(call['session.login']({ user: 'administrator', password: 'secret' }));
  /** Starts a deploy, approves its plan and waits until it is done (`budgetMs` of the test's clock at most). */
  const deployApproved = async (budgetMs?: number) => {
    await call['deploy.start']();
    await settle(waitFor(() => last().deploy?.phase === 'planned'));
    await call['deploy.approve']({ topologyId: last().deploy!.topologyId! });
    await settle(waitFor(() => last().deploy?.phase === 'done'), budgetMs);
  };
  return { core, states, last, call, logIn, deployApproved };
}

describe('the overlay core', () => {
  it('tells the wait page each acknowledgement as it arrives, then reads every node\'s status', async () => {
    const { call, states, last } = open();
    expect(last().session).toEqual({ phase: 'out', refusal: null, ended: null });
    expect(await settle(call['session.login']({ user: 'administrator', password: 'secret' }))).toEqual({ ok: true });
    const waits = states.filter((s) => s.session.phase === 'logging-in').map((s) => s.session.phase === 'logging-in' && `${s.session.acknowledged}/${s.session.expected} ${s.session.acknowledgedBy.join(',')} waiting ${s.session.waitingFor.join(',')}`);
    expect(waits).toContain('1/2 root-1 waiting root-2');
    expect(waits).toContain('2/2 root-1,root-2 waiting ');
    expect(last().session).toMatchObject({ phase: 'in', user: 'administrator', entry: 'root-1', expiring: false });
    expect(last().status?.nodes.map((n) => `${n.name} ${n.status}`)).toEqual(NODES.map((n) => `${n} alive`));
    // The status is read again while the session lasts.
    const reads = agents[0]!.calls.filter((c) => c.route === 'status').length;
    await clock.advance(4_000);
    expect(agents[0]!.calls.filter((c) => c.route === 'status').length).toBe(reads + 2);
  });

  it("keeps a built-in sandbox's new password where its commands look, and says the sandbox's password is kept", async () => {
    const kept: string[] = [];
    const secrets = testUnlocker();
    const { call, last } = open({}, {
      overlay: { access, sandbox: true, sandboxAdministrator: 'built-in', passwords: { readKept: async () => undefined, keep: async (password) => void kept.push(password) }, secrets, keys: keptOverlayKeys(path.join(overlayStateDir(dir, access), KEYS_FILE), secrets) },
    });
    expect(last().overlay?.sandboxAdministrator).toBe('built-in');
    expect(await settle(call['session.login']({ user: 'administrator', password: 'makeitrain', newPassword: 'a password of my own' }))).toEqual({ ok: true });
    expect(kept).toEqual(['a password of my own']);
    expect(last().overlay?.sandboxAdministrator).toBe('kept');
  });

  it('gives a client that subscribes late the current state first', async () => {
    const { core, logIn } = open();
    await logIn();
    const late: OverlayState[] = [];
    core.part.subscribe((_event, state) => late.push(state as OverlayState));
    expect(late[0]?.session.phase).toBe('in');
  });

  it('says who holds the lock, and where, when another administrator does', async () => {
    const { call, last } = open({ login: () => refused('conflict', 'administrator "alice" is logged in at root 2', 409) });
    const answer = await settle(call['session.login']({ user: 'administrator', password: 'secret' }));
    expect(answer).toEqual({ ok: false, refusal: { code: 'locked', message: 'administrator "alice" is logged in at root 2', holder: { user: 'alice', root: 'root-2', established: true } } });
    expect(last().session).toMatchObject({ phase: 'out', refusal: { code: 'locked' } });
  });

  it('deploys the pending topology once its plan is approved, blocking edits until every node reports', async () => {
    const { core, call, last, logIn } = open();
    await logIn();
    expect(await call['deploy.start']()).toEqual({ ok: true });
    expect(core.editingBlocked()).toMatch(/deploy is under way/);
    expect(await call['deploy.start']()).toEqual({ ok: false, reason: 'a deploy is already under way' });
    await settle(waitFor(() => last().deploy?.phase === 'planned'));
    const planned = last().deploy!;
    expect(planned.plan?.nodes.map((n) => `${n.node} ${n.change}`)).toEqual(NODES.map((n) => `${n} added`));
    expect(await call['deploy.approve']({ topologyId: 'not-this-one' })).toMatchObject({ ok: false });
    expect(await call['deploy.approve']({ topologyId: planned.topologyId! })).toEqual({ ok: true });
    await settle(waitFor(() => last().deploy?.phase === 'done'));
    expect(last().deploy?.nodes.map((n) => `${n.node} ${n.state}`)).toEqual(NODES.map((n) => `${n} applied`));
    expect(last().deploy?.outcome).toEqual({ kind: 'followed', applied: 4, failed: 0, unreachable: 0, confirmed: true });
    expect(overlay.confirmed).toEqual([planned.topologyId]);
    expect(core.editingBlocked()).toBeNull();
    await settle(waitFor(() => agents[0]!.calls.filter((c) => c.route === 'recordAudit').length === 2));
    expect(agents[0]!.calls.filter((c) => c.route === 'recordAudit').map((c) => (c.body as { kind: string }).kind)).toEqual(['deploy-plan', 'deploy-outcome']);
    await settle(waitFor(() => store.deployed() !== null));
    expect(store.deployed()).toEqual(store.pending());
  });

  it('reports a node that fails to apply with its reason, and the others still apply', async () => {
    overlay.behave('leaf-2-1', { does: 'fail', reason: 'openvpn: cannot open TUN/TAP dev /dev/net/tun' });
    const { core, last, logIn, deployApproved } = open();
    await logIn();
    await deployApproved();
    expect(last().deploy!.nodes).toContainEqual({ node: 'leaf-2-1', state: 'failed', reason: 'openvpn: cannot open TUN/TAP dev /dev/net/tun' });
    expect(last().deploy!.nodes.filter((n) => n.node !== 'leaf-2-1').every((n) => n.state === 'applied')).toBe(true);
    expect(last().deploy!.outcome).toMatchObject({ kind: 'followed', applied: 3, failed: 1, unreachable: 0 });
    expect(core.editingBlocked()).toBeNull();
    // Not every node runs it: the deployed topology stays what it was, so the pending changes still show.
    expect(store.deployed()).toBeNull();
  });

  it('sends nothing when the plan is declined, and unblocks editing', async () => {
    const { core, call, last, logIn } = open();
    await logIn();
    await call['deploy.start']();
    await settle(waitFor(() => last().deploy?.phase === 'planned'));
    await call['deploy.decline']({ topologyId: last().deploy!.topologyId! });
    await settle(waitFor(() => last().deploy?.phase === 'done'));
    expect(last().deploy?.outcome).toEqual({ kind: 'declined' });
    expect(overlay.posted).toEqual([]);
    expect(core.editingBlocked()).toBeNull();
  });

  it("rotates a tunnel's key and revokes a leaf for the next deploy, telling the audit trail, once logged in", async () => {
    const { call, last, logIn, deployApproved } = open();
    expect(await call['keys.rotatePsk']({ a: 2, b: 1 })).toEqual({ ok: false, reason: "log in first: the change is recorded in the overlay's audit trail" });
    await logIn();
    await settle(waitFor(() => last().keys === 'none'));
    expect(await call['keys.rotatePsk']({ a: 2, b: 1 })).toMatchObject({ ok: false, reason: expect.stringContaining('nothing was deployed to this overlay') });
    await deployApproved();
    await settle(waitFor(() => last().keys === 'open'));

    expect(await call['keys.rotatePsk']({ a: 2, b: 1 })).toEqual({ ok: true, message: 'tunnel-1-2: its pre-shared key is marked for rotation; the next deploy makes a new one for root-1 and root-2' });
    expect(await call['keys.revoke']({ name: 'leaf-1-1' })).toMatchObject({ ok: true, message: expect.stringMatching(/^leaf-1-1: revoked; the next deploy carries root-1's revocation list/) });
    expect(await call['keys.revoke']({ name: 'root-1' })).toMatchObject({ ok: false, reason: expect.stringContaining('is a root') });
    expect(agents[0]!.calls.filter((c) => c.route === 'recordAudit').map((c) => (c.body as { kind: string }).kind)).toEqual(['deploy-plan', 'deploy-outcome', 'psk-rotated', 'certificate-revoked']);
    await call['deploy.start']();
    await settle(waitFor(() => last().deploy?.phase === 'planned'));
    expect(last().deploy!.plan!.keys).toContain('tunnel-1-2: pre-shared key');
    await call['deploy.decline']({ topologyId: last().deploy!.topologyId! });
  });

  it('refuses a deploy without a session', async () => {
    const { call } = open();
    expect(await call['deploy.start']()).toEqual({ ok: false, reason: 'log in first: a deploy needs the administrator lock' });
  });

  it('warns before an idle session ends, keeps it when the administrator stays, and logs out when not', async () => {
    const { core, call, last, logIn } = open();
    await logIn();
    await clock.advance(IDLE_MS - WARN_MS + 1);
    expect(last().session).toMatchObject({ phase: 'in', expiring: true });
    expect(await call['session.keepAlive']()).toEqual({ ok: true });
    expect(last().session).toMatchObject({ phase: 'in', expiring: false });
    core.noteActivity();
    await clock.advance(IDLE_MS + 1);
    await settle(waitFor(() => last().session.phase === 'out'));
    expect(last().session).toEqual({ phase: 'out', refusal: null, ended: 'no activity for 1 minutes: logged out, freeing the administrator lock' });
    expect(agents[0]!.calls.some((c) => c.route === 'logout')).toBe(true);
  });

  it('does not end a session whose idle time runs out during a deploy before the deploy is done', async () => {
    overlay.behave('leaf-2-1', { does: 'apply', afterMs: 2 * IDLE_MS });
    const { last, states, logIn, deployApproved } = open({}, { deployOptions: { followMs: 10 * IDLE_MS } });
    await logIn();
    await deployApproved(3 * IDLE_MS);
    expect(last().deploy?.outcome).toMatchObject({ kind: 'followed', applied: 4, confirmed: true });
    expect(clock.now() - last().deploy!.startedAt).toBeGreaterThan(IDLE_MS);
    const done = states.findIndex((s) => s.deploy?.phase === 'done');
    expect(states.slice(0, done).filter((s) => s.session.phase === 'in').at(-1)?.session).toMatchObject({ expiring: true });
    expect(states.slice(states.findIndex((s) => s.session.phase === 'in'), done).every((s) => s.session.phase === 'in')).toBe(true);
    await settle(waitFor(() => last().session.phase === 'out'), 2 * IDLE_MS);
    expect(last().session).toMatchObject({ ended: expect.stringMatching(/^no activity for/) });
  });

  it("on a workstation that keeps nothing of the overlay, takes the deployed topology from the roots at login, and the keys once given their passphrase", async () => {
    const kept = await keptState(sampleRecord('topo-2'), await sealedKeys());
    const { text, head } = await keptStateText(kept);
    const { call, last, logIn } = open({ readAdminState: () => answered<'readAdminState'>({ head, offset: 0, text }) }, {});
    await logIn();
    await settle(waitFor(() => store.deployed() !== null && last().keys === 'locked'));
    expect(store.deployed()).toEqual(sampleRecord('topo-2').topology);
    expect(store.pending()).toEqual(sampleRecord('topo-2').topology);
    expect(await call['keys.unlock']({ passphrase: 'not the passphrase at all' })).toMatchObject({ ok: false, reason: expect.stringMatching(/wrong passphrase/) });
    expect(await call['keys.unlock']({ passphrase: TEST_PASSPHRASE })).toEqual({ ok: true });
    expect(last().keys).toBe('open');
  });

  it('keeps its session for the next run, which takes it up without a login; logout forgets it', async () => {
    const first = open();
    await first.logIn();
    const kept = path.join(overlayStateDir(dir, access), 'session.json');
    expect(statSync(kept).mode & 0o777).toBe(0o600);

    const second = open();
    expect(await settle(second.core.resumeKeptSession())).toBe(true);
    expect(second.last().session).toMatchObject({ phase: 'in', user: 'administrator', entry: 'root-1' });
    expect(agents[1]!.calls.some((c) => c.route === 'login')).toBe(false);
    expect(agents[1]!.calls.find((c) => c.route === 'status')?.session).toBe(TOKEN);

    expect(await settle(second.call['session.logout']())).toEqual({ ok: true });
    expect(() => statSync(kept)).toThrow();
    const third = open();
    expect(await settle(third.core.resumeKeptSession())).toBe(false);
  });

  it('forgets a kept session the entry root no longer knows', async () => {
    const first = open();
    await first.logIn();
    const second = open({ status: () => refused('unauthenticated', 'no such session', 401) });
    expect(await settle(second.core.resumeKeptSession())).toBe(false);
    expect(second.last().session.phase).toBe('out');
    expect(() => statSync(path.join(overlayStateDir(dir, access), 'session.json'))).toThrow();
  });
});

/**
 * Moves the clock from timer to timer until `promise` settles, letting real file writes (the kept session, the keys,
 * the deploy record) finish in between, and never by more than `budgetMs` in all: on a loaded machine a write can take
 * long enough for the status polls, fired meanwhile, to carry the clock past the idle limit.
 */
async function settle<T>(promise: Promise<T>, budgetMs = 10_000): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  const until = clock.now() + budgetMs;
  const startedAt = Date.now();
  while (!settled) {
    if (Date.now() - startedAt > 20_000) throw new Error(`the promise did not settle within ${budgetMs} ms of the test's clock`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const due = clock.pending()[0];
    if (!settled && due !== undefined && clock.now() + due <= until) await clock.advance(due);
  }
  return watched;
}

/** Whoever waits for a condition on the core's states (waitFor). */
const stateListeners = new Set<() => void>();

/** Resolves once `done()` holds. */
function waitFor(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    let cancel = () => {};
    const check = () => {
      cancel();
      if (!done()) return void (cancel = clock.after(1_000, check));
      stateListeners.delete(check);
      resolve();
    };
    // Checked at each state the core sends, and each second of the test's clock for what no state tells (a file written).
    stateListeners.add(check);
    check();
  });
}
