import { describe, expect, it } from 'vitest';
import type { DeployView, OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { ContractError } from '../../src-shared/contract/transport.ts';
import type { OverlayApi } from './overlayStore.ts';
import { createOverlayStore } from './overlayStore.ts';

const OVERLAY = { name: 'sandbox', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: 3 };
const IN: OverlayState['session'] = { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false };
const row = (name: string, status: 'alive' | 'down') => ({ id: name, kind: name.startsWith('root') ? ('root' as const) : ('leaf' as const), name, status, lastHeartbeat: 1, topologyId: 't1' });
const deploy = (phase: DeployView['phase'], startedAt = 100): DeployView => ({
  phase,
  topologyId: phase === 'preparing' ? null : 't2',
  plan: null,
  nodes: [
    { node: 'root-1', state: 'applied' },
    { node: 'leaf-1-1', state: 'waiting' },
  ],
  notices: [],
  startedAt,
  outcome: phase === 'done' ? { kind: 'declined' } : null,
});

/** Main as the overlay store sees it: answers from a script, every call recorded. */
function fakeMain(initial: Partial<OverlayState> = {}) {
  let state: OverlayState = { overlay: OVERLAY, session: { phase: 'out', refusal: null, ended: null }, status: null, deploy: null, keys: null, revision: 0, ...initial };
  const calls: [string, unknown][] = [];
  let refuse: string | null = null;
  let offline = false;
  const answer = async (name: string, input?: unknown) => {
    calls.push([name, input]);
    if (offline) throw new ContractError({ code: 'disconnected', message: 'lost the connection to ws://127.0.0.1:1/contract' });
    return refuse === null ? { ok: true as const } : { ok: false as const, reason: refuse };
  };
  const api: OverlayApi = {
    'overlay.get': async () => state,
    'session.login': async (input) => {
      calls.push(['session.login', input]);
      if (input.password !== 'right') return { ok: false, refusal: { code: 'bad-credentials', message: 'invalid credentials' } };
      return { ok: true };
    },
    'session.keepAlive': () => answer('session.keepAlive'),
    'session.logout': () => answer('session.logout'),
    'deploy.start': () => answer('deploy.start'),
    'deploy.approve': (input) => answer('deploy.approve', input),
    'deploy.decline': (input) => answer('deploy.decline', input),
    'keys.unlock': (input) => answer('keys.unlock', input),
    'keys.rotatePsk': async (input) => ({ ...(await answer('keys.rotatePsk', input)), ...(refuse === null ? { message: 'tunnel-1-2: marked' } : {}) }),
    'keys.revoke': (input) => answer('keys.revoke', input),
    'audit.read': async (input) => {
      calls.push(['audit.read', input]);
      if (offline) throw new ContractError({ code: 'disconnected', message: 'lost the connection to ws://127.0.0.1:1/contract' });
      return refuse === null ? { ok: true, node: 'root-1', entries: [], omitted: 3 } : { ok: false, reason: refuse };
    },
  };
  return {
    api,
    calls,
    next: (change: Partial<OverlayState>) => (state = { ...state, ...change, revision: state.revision + 1 }),
    refuseWith: (reason: string | null) => (refuse = reason),
    goOffline: () => (offline = true),
  };
}

async function loaded(initial: Partial<OverlayState> = {}) {
  const main = fakeMain(initial);
  const store = createOverlayStore(main.api);
  await store.getState().actions.load();
  return { main, store, actions: store.getState().actions };
}

describe('overlay store', () => {
  it('loads the state and keeps only newer ones from events', async () => {
    const { main, store, actions } = await loaded();
    const older = store.getState().server!;
    const newer = main.next({ session: IN });
    actions.receiveEvent(newer);
    actions.receiveEvent(older);
    expect(store.getState().server).toBe(newer);
    actions.receiveEvent({ ...newer, session: { phase: 'out', refusal: null, ended: 'stale' } });
    expect(store.getState().server).toBe(newer);
  });

  it('draws each root’s status and, while nodes report, its deploy progress', async () => {
    const { main, store, actions } = await loaded();
    actions.receiveEvent(main.next({ session: IN, status: { nodes: [row('root-1', 'alive'), row('leaf-1-1', 'down')], readAt: 5, problem: null } }));
    expect(store.getState().rootStatus.get('root-1')?.leavesText).toBe('0 of 1 leaf alive, 1 down');
    expect(store.getState().rootProgress.size).toBe(0);
    actions.receiveEvent(main.next({ deploy: deploy('following') }));
    expect(store.getState().rootProgress.get('root-1')).toEqual({ state: 'applied', leavesText: '0 of 1 leaf applied' });
    actions.receiveEvent(main.next({ session: { phase: 'out', refusal: null, ended: 'logged out' }, status: null, deploy: deploy('done') }));
    expect(store.getState().rootStatus.size).toBe(0);
    expect(store.getState().rootProgress.size).toBe(0);
  });

  it('keeps the graph’s entry of a node whose status a new read did not change, and its deploy progress likewise', async () => {
    const { main, store, actions } = await loaded();
    const status = (rootTwo: 'alive' | 'down') => ({ nodes: [row('root-1', 'alive'), row('leaf-1-1', 'alive'), row('root-2', rootTwo)], readAt: 5, problem: null });
    actions.receiveEvent(main.next({ session: IN, status: status('alive'), deploy: deploy('following') }));
    const before = store.getState();
    expect(before.graphStatus.get('root-2')).toEqual({ status: 'alive', reason: undefined, leavesText: 'no leaves' });
    actions.receiveEvent(main.next({ status: status('down'), deploy: deploy('following') }));
    const after = store.getState();
    expect(after.graphStatus.get('root-1')).toBe(before.graphStatus.get('root-1'));
    expect(after.graphStatus.get('leaf-1-1')).toBe(before.graphStatus.get('leaf-1-1'));
    expect(after.graphStatus.get('root-2')?.status).toBe('down');
    expect(after.rootProgress.get('root-1')).toBe(before.rootProgress.get('root-1'));
    actions.receiveEvent(main.next({ session: { phase: 'out', refusal: null, ended: 'logged out' }, status: null }));
    expect(store.getState().graphStatus.size).toBe(0);
  });

  it('logs in with what was typed; a refusal is no failure of the call', async () => {
    const { main, store, actions } = await loaded();
    expect(await actions.login({ user: 'administrator', password: 'wrong' })).toBe(false);
    expect(store.getState().failure).toBeNull();
    expect(await actions.login({ user: 'administrator', password: 'right', newPassword: 'n3w' })).toBe(true);
    expect(main.calls.map(([, input]) => input)).toEqual([
      { user: 'administrator', password: 'wrong' },
      { user: 'administrator', password: 'right', newPassword: 'n3w' },
    ]);
  });

  it('turns a refused call into a failure line saying what was tried, and clears it once a call succeeds', async () => {
    const { main, store, actions } = await loaded();
    main.refuseWith('log in first: a deploy needs the administrator lock');
    await actions.startDeploy();
    expect(store.getState().failure).toBe('Deploy not started: log in first: a deploy needs the administrator lock');
    main.refuseWith(null);
    await actions.keepAlive();
    expect(store.getState().failure).toBeNull();
    main.goOffline();
    await actions.logout();
    expect(store.getState().failure).toBe('Not logged out: lost the connection to ws://127.0.0.1:1/contract');
    expect(store.getState().busy).toBe(false);
  });

  it('is busy while a call is on its way', async () => {
    const { store, actions } = await loaded();
    const pending = actions.startDeploy();
    expect(store.getState().busy).toBe(true);
    await pending;
    expect(store.getState().busy).toBe(false);
  });

  it('answers the plan shown with its topology id, and nothing when no plan is shown', async () => {
    const { main, actions } = await loaded({ session: IN });
    await actions.approve();
    actions.receiveEvent(main.next({ deploy: deploy('preparing') }));
    await actions.decline();
    expect(main.calls).toEqual([]);
    actions.receiveEvent(main.next({ deploy: deploy('planned') }));
    await actions.approve();
    await actions.decline();
    expect(main.calls).toEqual([
      ['deploy.approve', { topologyId: 't2' }],
      ['deploy.decline', { topologyId: 't2' }],
    ]);
  });

  it('starts with the summary of a deploy done before it connected closed, and keeps a later one until closed', async () => {
    const { main, store, actions } = await loaded({ session: IN, deploy: deploy('done', 100) });
    expect(store.getState().closedDeploy).toBe(100);
    actions.receiveEvent(main.next({ deploy: deploy('following', 200) }));
    actions.receiveEvent(main.next({ deploy: deploy('done', 200) }));
    expect(store.getState().closedDeploy).toBe(100);
    actions.closeDeploy();
    expect(store.getState().closedDeploy).toBe(200);
  });

  it("gives the keys' passphrase to main, saying so when it is refused", async () => {
    const { main, store, actions } = await loaded({ session: IN, keys: 'locked' });
    expect(await actions.unlockKeys('the right passphrase')).toBe(true);
    main.refuseWith('wrong passphrase (the one given): it does not open these secrets; nothing was changed');
    expect(await actions.unlockKeys('a wrong one')).toBe(false);
    expect(store.getState().failure).toBe('Keys not opened: wrong passphrase (the one given): it does not open these secrets; nothing was changed');
    expect(main.calls).toEqual([
      ['keys.unlock', { passphrase: 'the right passphrase' }],
      ['keys.unlock', { passphrase: 'a wrong one' }],
    ]);
  });

  it("tells what a key change did as a notice, and a refusal as the failure line", async () => {
    const { main, store, actions } = await loaded({ session: IN });
    await actions.rotatePsk(2, 1);
    expect(store.getState()).toMatchObject({ notice: 'tunnel-1-2: marked', failure: null });
    main.refuseWith('nothing was deployed to this overlay');
    await actions.revoke('leaf-1-1');
    expect(store.getState()).toMatchObject({ notice: null, failure: 'Not revoked: nothing was deployed to this overlay' });
    expect(main.calls).toEqual([
      ['keys.rotatePsk', { a: 2, b: 1 }],
      ['keys.revoke', { name: 'leaf-1-1' }],
    ]);
  });

  it('reads the audit trail, or says why not, without taking it for a failed action', async () => {
    const { main, store, actions } = await loaded({ session: IN });
    expect(await actions.readAudit()).toEqual({ ok: true, entries: [], omitted: 3 });
    main.refuseWith('log in first');
    expect(await actions.readAudit()).toEqual({ ok: false, reason: 'log in first' });
    main.goOffline();
    expect(await actions.readAudit()).toEqual({ ok: false, reason: 'lost the connection to ws://127.0.0.1:1/contract' });
    expect(main.calls).toEqual([['audit.read', { limit: 200 }], ['audit.read', { limit: 200 }], ['audit.read', { limit: 200 }]]);
    expect(store.getState().failure).toBeNull();
  });

  it('turns a failed load into a failure line', async () => {
    const main = fakeMain();
    const store = createOverlayStore({ ...main.api, 'overlay.get': () => Promise.reject(new ContractError({ code: 'disconnected', message: 'lost the connection' })) });
    await store.getState().actions.load();
    expect(store.getState()).toMatchObject({ server: null, failure: 'lost the connection' });
  });
});
