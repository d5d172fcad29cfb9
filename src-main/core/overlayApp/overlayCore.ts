// The contract's overlay calls on one overlay: a session with the administrator lock, every node's status while logged in,
// and deploys of the pending topology with their plan waiting for approval; one state, sent whole on every change.
import { join } from 'node:path';
import type { Done, LoginRefusal, OverlayState } from '../../../src-shared/contract/overlayContract.ts';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { DEFAULT_ADMINISTRATOR } from '../../../src-shared/protocol/defaultAdministrator.ts';
import type { AgentClient } from '../agentClient/agentClient.ts';
import { sleep } from '../agentClient/timers.ts';
import type { Timers } from '../agentClient/timers.ts';
import { overlayStateDir } from '../deployRun/overlayState.ts';
import { bundledWorker } from '../pki/bundledWorker.ts';
import { DEPLOYED_FILE, deployedRecordFile } from '../deployRun/deployedRecord.ts';
import { resumeDeploy, runDeploy } from '../deployRun/runDeploy.ts';
import type { DeployEvent, DeployOutcome } from '../deployRun/runDeploy.ts';
import { deployAuditNotes } from '../audit/deployAudit.ts';
import { restoreAtLogin } from '../adminState/restoreAtLogin.ts';
import type { DeployRunOptions } from '../deployRun/runDeploy.ts';
import type { PasswordSources } from '../overlayAccess/adminPassword.ts';
import type { Unlocker } from '../secrets/unlocker.ts';
import type { OsBox } from '../secrets/osBox.ts';
import type { KeptOverlayKeys } from '../pki/overlayKeysFile.ts';
import type { AuditNote } from '../../../src-shared/protocol/audit.ts';
import { recordAudit } from '../audit/recordAudit.ts';
import type { Edited, KeptKeysAt } from '../keyHygiene/editKeptKeys.ts';
import { rotateTunnelPsk } from '../keyHygiene/rotateTunnelPsk.ts';
import { parseRevocable } from '../keyHygiene/revokeCertificate.ts';
import { revokeInState } from '../keyHygiene/revokeInState.ts';
import { overlayStatus } from '../overlayAccess/overlayStatus.ts';
import type { Emit, CorePart } from '../endpoint/serve.ts';
import { EXPIRY_WARNING_MS, SESSION_IDLE_MS } from '../session/expiry.ts';
import { login } from '../session/login.ts';
import { KEPT_SESSION_FILE, keptSessionFile, resumeSession } from '../session/keptSession.ts';
import type { Session, SessionEvent } from '../session/session.ts';
import type { TopologyStore } from '../topologyStore/topologyStore.ts';
import { brokenDeploy, deployViewStep, startedDeploy } from './deployView.ts';
import { LOGGED_OUT, sessionViewStep } from './sessionView.ts';

export type OverlayCall =
  | 'overlay.get'
  | 'session.login'
  | 'session.keepAlive'
  | 'session.logout'
  | 'deploy.start'
  | 'deploy.approve'
  | 'deploy.decline'
  | 'keys.unlock'
  | 'keys.rotatePsk'
  | 'keys.revoke';

/** The overlay the application was started on. */
export interface OpenedOverlay {
  access: OverlayAccess;
  /** True for the running sandbox's own access file. */
  sandbox: boolean;
  /** The sandbox's: whether its administrator's password is kept, or still the built-in one. */
  sandboxAdministrator?: 'kept' | 'built-in';
  passwords: Pick<PasswordSources, 'readKept' | 'keep'>;
  /** What opens the overlay's kept keys for its deploys (overlayUnlocker: the OS store, the sandbox's passphrase, or the one given once). */
  secrets: Unlocker;
  /** The overlay's kept keys, opened by `secrets`. */
  keys: KeptOverlayKeys;
  /** The OS's store, where there is one: the session kept for the next run is sealed by it. */
  box?: OsBox;
}

export interface OverlayCoreOptions {
  /** Null when none is configured: every call but `overlay.get` then says so. */
  overlay: OpenedOverlay | null;
  store: TopologyStore;
  /** The application's state folder; each overlay's keys and deploy record live in a folder of it. */
  stateDir: string;
  clientFor(access: OverlayAccess, node: string): AgentClient;
  now(): number;
  timers: Timers;
  /** How often the status is read while logged in (default 2 s). */
  statusPollMs?: number;
  /** With no call from the administrator for this long the application logs out (default the agent's 30 min). */
  idleMs?: number;
  warnMs?: number;
  /** What a deploy is given beyond the overlay (the bulk issuer, the VyOS version, shorter waits in tests). */
  deployOptions?: Partial<Pick<DeployRunOptions, 'bulk' | 'vyosVersion' | 'baseDir' | 'followMs' | 'pollMs' | 'confirmDeadlineMs'>>;
  logError?(message: string, error: unknown): void;
}

export interface OverlayCore {
  part: CorePart<OverlayCall>;
  /** Why the topology may not be edited now (a deploy is under way), or null. */
  editingBlocked(): string | null;
  /** The administrator did something: the idle time starts again. */
  noteActivity(): void;
  /**
   * Takes up the session an earlier run of the application kept (it was killed, or closed without logging out), and
   * follows again a deploy it left unsettled: true when a session was taken up.
   */
  resumeKeptSession(): Promise<boolean>;
  /** Logs in with the sandbox's kept password, as the sandbox's administrator; refused when there is none. */
  loginWithKeptPassword(): Promise<{ ok: true } | { ok: false; refusal: LoginRefusal }>;
  /** The session while logged in, for the other parts of the core that ask the entry root (the audit). */
  currentSession(): Session | undefined;
  /** Logs out and stops every poll. */
  close(): Promise<void>;
}

const IDLE_RECHECK_MS = 1_000;

const NO_OVERLAY: LoginRefusal = { code: 'no-overlay', message: 'no overlay is configured: start the sandbox (raincoat sandbox up) or give an access file' };

export function createOverlayCore(options: OverlayCoreOptions): OverlayCore {
  const { overlay, store, now, timers } = options;
  const idleMs = options.idleMs ?? SESSION_IDLE_MS;
  const warnMs = options.warnMs ?? EXPIRY_WARNING_MS;
  const pollMs = options.statusPollMs ?? 2_000;
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const listeners = new Set<Emit>();

  let state: OverlayState = {
    overlay: overlay && {
      name: overlay.access.name,
      entry: overlay.access.entry,
      entryUrl: overlay.access.nodes[overlay.access.entry]!.url,
      sandbox: overlay.sandbox,
      ...(overlay.sandboxAdministrator === undefined ? {} : { sandboxAdministrator: overlay.sandboxAdministrator }),
      nodes: Object.keys(overlay.access.nodes).length,
    },
    session: LOGGED_OUT,
    status: null,
    deploy: null,
    keys: null,
    revision: 0,
  };
  let session: Session | undefined;
  let user = '';
  let lastActivity = now();
  let stopPolling = () => {};
  let stopIdle = () => {};
  let awaitingApproval: { topologyId: string; answer(approved: boolean): void } | undefined;
  let closed = false;
  const overlayDir = overlay ? overlayStateDir(options.stateDir, overlay.access) : undefined;
  const kept = overlayDir === undefined ? undefined : keptSessionFile(join(overlayDir, KEPT_SESSION_FILE), now, overlay?.box);

  const update = (change: Partial<OverlayState>) => {
    state = { ...state, ...change, revision: state.revision + 1 };
    for (const emit of listeners) emit('overlay.didChange', state);
  };
  const fail = (reason: string): Done => ({ ok: false, reason });
  const deploying = () => state.deploy !== null && state.deploy.phase !== 'done';

  /** Status reads go on while the session lasts; each one also keeps the session alive at the entry root. */
  const poll = async () => {
    const current = session;
    if (!current || !overlay) return;
    const read = await current.api.status();
    if (current !== session) return;
    if (read.ok) update({ status: { nodes: overlayStatus(overlay.access, read.answer), readAt: read.answer.generatedAt, problem: null } });
    else update({ status: { nodes: state.status?.nodes ?? [], readAt: state.status?.readAt ?? now(), problem: `${current.entry} did not give its status: ${read.reason}` } });
    if (session === current) stopPolling = timers.after(pollMs, () => void poll().catch((error: unknown) => logError('status read failed', error)));
  };

  /** The application's own idle limit: its status reads keep the agent's session alive, so the agent's would never end it. */
  const armIdle = () => {
    stopIdle();
    if (!session) return;
    const warnAt = lastActivity + idleMs - warnMs;
    const endAt = lastActivity + idleMs;
    const at = now();
    // Past the end with a deploy under way, the session waits for the deploy, looking again each second.
    const wait = at < warnAt ? warnAt - at : at < endAt ? endAt - at : IDLE_RECHECK_MS;
    stopIdle = timers.after(wait, () => {
      if (!session) return;
      if (now() >= lastActivity + idleMs && !deploying()) return void endSession(`no activity for ${Math.round(idleMs / 60_000)} minutes: logged out, freeing the administrator lock`);
      if (now() >= lastActivity + idleMs - warnMs && state.session.phase === 'in' && !state.session.expiring) update({ session: { ...state.session, expiresAt: lastActivity + idleMs, expiring: true } });
      armIdle();
    });
  };

  const endSession = async (reason: string) => {
    const ending = session;
    session = undefined;
    stopPolling();
    stopIdle();
    if (ending) {
      const out = await ending.logout();
      if (!out.ok) logError(`logout at ${ending.entry} failed: ${out.message}`, undefined);
    }
    await kept?.clear();
    update({ session: { phase: 'out', refusal: null, ended: reason }, status: null });
  };

  /**
   * The session's own end (the entry root forgot it, or it expired there) ends the application's too; the end the
   * application makes itself (logout, idle) tells its own reason.
   */
  const sessionEvent = (event: SessionEvent) => {
    if (event.type !== 'ended') return update({ session: sessionViewStep(state.session, event, user) });
    if (session) void endSession(event.reason);
  };

  const doLogin = async (credentials: { user: string; password: string; newPassword?: string }) => {
    if (!overlay) return { ok: false as const, refusal: NO_OVERLAY };
    if (state.session.phase !== 'out') return { ok: false as const, refusal: { code: 'refused' as const, message: `already ${state.session.phase === 'in' ? 'logged in' : 'logging in'} as ${state.session.user}` } };
    user = credentials.user;
    update({ session: { phase: 'logging-in', user, entry: overlay.access.entry, acknowledged: 0, expected: 0, acknowledgedBy: [], waitingFor: [] } });
    const result = await login(overlay.access, credentials, {
      client: options.clientFor(overlay.access, overlay.access.entry),
      now,
      timers,
      sessionTimers: timers,
      onEvent: (event) => sessionEvent(event),
    });
    if (!result.ok) {
      const refusal: LoginRefusal = { code: result.code, message: result.message, ...(result.holder ? { holder: result.holder } : {}) };
      update({ session: { phase: 'out', refusal, ended: null } });
      return { ok: false as const, refusal };
    }
    if (closed) {
      await result.session.logout();
      return { ok: false as const, refusal: { code: 'refused' as const, message: 'the application is closing' } };
    }
    // The sandbox's new password is kept where its commands and the next start look, as `raincoat login` keeps it.
    if (credentials.newPassword !== undefined && overlay.passwords.keep && state.overlay) {
      try {
        await overlay.passwords.keep(credentials.newPassword);
        update({ overlay: { ...state.overlay, sandboxAdministrator: 'kept' } });
      } catch (error) {
        logError("the sandbox's new password could not be kept", error);
      }
    }
    await established(result.session);
    return { ok: true as const };
  };

  /** A session, new or taken up again: kept for a restart, its status read, and a deploy left unsettled followed again. */
  const established = async (taken: Session) => {
    session = taken;
    lastActivity = now();
    armIdle();
    await kept?.save(taken.keepable());
    await poll();
    await restoreFromOverlay(taken);
    void followUnsettled(taken).catch((error: unknown) => logError('following an unsettled deploy failed', error));
  };

  /**
   * A workstation that keeps nothing of this overlay (a new one, or one after a lost laptop) takes what the roots keep:
   * the deployed topology (pending and deployed), and the keys sealed under the passphrase, given when they are needed.
   */
  const restoreFromOverlay = async (taken: Session) => {
    if (!overlayDir) return;
    const restored = await restoreAtLogin({ api: taken.api, overlayDir, now });
    if (restored.kind === 'failed') logError(`the overlay's administrator state was not taken: ${restored.reason}`, undefined);
    if (restored.kind !== 'restored') return;
    await store.save(restored.record.topology);
    await store.markDeployed(restored.record.topology);
    await refreshKeys();
  };

  /** A deploy an earlier run posted and did not settle, followed in the background like one started now. */
  const followUnsettled = async (taken: Session) => {
    if (overlay && overlayDir && !deploying()) {
      let view = startedDeploy(now());
      const events: DeployEvent[] = [];
      const outcome = await resumeDeploy({
        access: overlay.access,
        entry: taken.api,
        stateDir: overlayDir,
        clock: { now, sleep: (ms) => sleep(timers, ms) },
        onEvent: (event) => {
          events.push(event);
          view = deployViewStep(view, event);
          update({ deploy: view });
        },
      });
      if (outcome === undefined) return;
      const record = await deployedRecordFile(join(overlayDir, DEPLOYED_FILE), now).load();
      await afterDeploy(outcome, record.kind === 'ok' ? record.value.topology : null, events, taken.api);
    }
  };

  /** Whether the kept keys open without asking: read again after whatever may change it (an unlock, a deploy, an edit of the keys). */
  const refreshKeys = async () => {
    if (!overlay) return;
    const keys = await overlay.keys.state().catch((error: unknown) => (logError('the kept keys could not be read', error), null));
    if (keys !== state.keys) update({ keys });
  };

  /** A rotation or a revocation: the kept keys edited (the next deploy's plan shows it), and the audit trail told. */
  const editKeys = async <R>(edit: (at: KeptKeysAt) => Promise<Edited<R>>, done: (result: R) => { line: string; note: AuditNote }): Promise<Done> => {
    if (!overlay || !overlayDir) return fail(NO_OVERLAY.message);
    const current = session;
    if (!current) return fail('log in first: the change is recorded in the overlay\'s audit trail');
    if (deploying()) return fail('a deploy is under way: change the keys once it is done');
    const edited = await edit({ stateDir: overlayDir, secrets: overlay.secrets });
    await refreshKeys();
    if (!edited.ok) return fail(edited.reason);
    const { line, note } = done(edited.result);
    const recorded = await recordAudit(current.api, [note]);
    return recorded.ok ? { ok: true, message: line } : { ok: true, message: `${line}; not recorded in the audit trail: ${recorded.reason}` };
  };

  /**
   * What a settled deploy leaves: its plan and outcome in the overlay's audit trail (a failure to record it said in the
   * deploy's notices), the keys' state read again, and the deployed topology noted when every node runs it.
   */
  const afterDeploy = async (outcome: DeployOutcome, topology: ReturnType<TopologyStore['pending']> | null, events: readonly DeployEvent[], entry: Session['api']) => {
    // Noted first: the deploy shows as done already, and the editor's pending changes must not wait on the audit's round trip.
    const everyNodeRuns = outcome.kind === 'followed' && outcome.summary.confirmed && outcome.summary.failed.length === 0;
    if (everyNodeRuns && topology) await store.markDeployed(topology);
    const notes = deployAuditNotes(events);
    const recorded = notes.length === 0 ? { ok: true as const } : await recordAudit(entry, notes);
    if (!recorded.ok && state.deploy) update({ deploy: { ...state.deploy, notices: [...state.deploy.notices, `not recorded in the overlay's audit trail: ${recorded.reason}`] } });
    await refreshKeys();
  };

  function noteActivity() {
    lastActivity = now();
    if (!session) return;
    if (state.session.phase === 'in' && state.session.expiring) update({ session: { ...state.session, expiresAt: lastActivity + idleMs, expiring: false } });
    armIdle();
  }

  const startDeploy = (): Done => {
    if (!overlay) return fail(NO_OVERLAY.message);
    const current = session;
    if (!current) return fail('log in first: a deploy needs the administrator lock');
    if (deploying()) return fail('a deploy is already under way');
    const topology = store.pending();
    update({ deploy: startedDeploy(now()) });
    const events: DeployEvent[] = [];
    void runDeploy({
      access: overlay.access,
      entry: current.api,
      topology,
      stateDir: overlayDir!,
      secrets: overlay.secrets,
      clock: { now, sleep: (ms) => sleep(timers, ms) },
      // The plan event has just put the topology id in the view: approval is asked for that plan.
      approve: () => new Promise<boolean>((answer) => (awaitingApproval = { topologyId: state.deploy!.topologyId!, answer })),
      onEvent: (event) => {
        lastActivity = now();
        events.push(event);
        update({ deploy: deployViewStep(state.deploy!, event) });
      },
      // Bundled (the shell), the bulk issuer's worker sits beside the bundle; from source the issuer finds its own.
      ...(bundledWorker() === undefined ? {} : { bulk: bundledWorker() }),
      ...options.deployOptions,
    })
      .then((outcome) => afterDeploy(outcome, topology, events, current.api))
      .catch((error: unknown) => {
        logError('deploy failed', error);
        update({ deploy: brokenDeploy(state.deploy!, error instanceof Error ? error.message : String(error)) });
      })
      .finally(() => {
        awaitingApproval = undefined;
      });
    return { ok: true };
  };

  const answerPlan = (topologyId: string, approved: boolean): Done => {
    if (!awaitingApproval || awaitingApproval.topologyId !== topologyId) return fail(`no plan for topology ${topologyId} waits for an answer`);
    const { answer } = awaitingApproval;
    awaitingApproval = undefined;
    answer(approved);
    return { ok: true };
  };

  void refreshKeys();

  return {
    part: {
      handlers: {
        'overlay.get': async () => state,
        'session.login': (credentials) => doLogin(credentials),
        'session.keepAlive': async () => {
          if (!session) return fail('not logged in');
          noteActivity();
          return { ok: true };
        },
        'session.logout': async () => {
          if (!session) return fail('not logged in');
          if (deploying()) return fail('a deploy is under way: log out once it is done');
          await endSession('logged out');
          return { ok: true };
        },
        'deploy.start': async () => startDeploy(),
        'deploy.approve': async ({ topologyId }) => answerPlan(topologyId, true),
        'deploy.decline': async ({ topologyId }) => answerPlan(topologyId, false),
        'keys.unlock': async ({ passphrase }) => {
          if (!overlay) return fail(NO_OVERLAY.message);
          const opened = await overlay.keys.unlock(passphrase);
          await refreshKeys();
          return opened.ok ? { ok: true } : fail(opened.message);
        },
        'keys.rotatePsk': async ({ a, b }) => {
          const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
          return editKeys(
            (at) => rotateTunnelPsk(at, lo, hi, now),
            ({ tunnel, alreadyMarked }) => ({
              line: `${tunnel}: its pre-shared key ${alreadyMarked ? 'was already marked' : 'is marked'} for rotation; the next deploy makes a new one for root-${lo} and root-${hi}`,
              note: { kind: 'psk-rotated', tunnel, alreadyMarked },
            }),
          );
        },
        'keys.revoke': async ({ name }) => {
          const what = parseRevocable(name);
          if (what === undefined) return fail(`${JSON.stringify(name)} is neither a leaf (leaf-1-2) nor a client (client-1-3)`);
          return editKeys(
            (at) => revokeInState(at, what, now),
            ({ rootId, revoked }) => ({
              line: `${name}: ${revoked === 0 ? 'already revoked' : 'revoked'}; the next deploy carries root-${rootId}'s revocation list to every server that trusts it`,
              note: { kind: 'certificate-revoked', subject: name, rootId, revoked },
            }),
          );
        },
      },
      subscribe(emit) {
        // A client that connects late gets the current state first.
        emit('overlay.didChange', state);
        listeners.add(emit);
        return () => listeners.delete(emit);
      },
    },
    editingBlocked: () => (deploying() ? 'a deploy is under way: editing is blocked until it is done' : null),
    noteActivity,
    async resumeKeptSession() {
      if (!overlay || !kept || state.session.phase !== 'out') return false;
      const keptSession = await kept.load();
      if (keptSession === undefined) return false;
      user = keptSession.user;
      const resumed = await resumeSession(overlay.access, keptSession, {
        client: options.clientFor(overlay.access, overlay.access.entry),
        now,
        timers,
        onEvent: (event) => sessionEvent(event),
      });
      if (!resumed.ok) {
        await kept.clear();
        return false;
      }
      update({ session: { phase: 'in', user, entry: keptSession.entry, expiresAt: now() + idleMs, expiring: false } });
      await established(resumed.session);
      return true;
    },
    async loginWithKeptPassword() {
      if (!overlay) return { ok: false, refusal: NO_OVERLAY };
      const password = await overlay.passwords.readKept();
      if (password === undefined) return { ok: false, refusal: { code: 'bad-credentials', message: "no kept password for this overlay: log in with the administrator's" } };
      return doLogin({ user: DEFAULT_ADMINISTRATOR.user, password });
    },
    currentSession: () => session,
    async close() {
      closed = true;
      awaitingApproval?.answer(false);
      if (session) await endSession('the application closed');
    },
  };
}
