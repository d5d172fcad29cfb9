// The overlay as the application shows it: main's OverlayState (the newest by revision) with each root's status and
// deploy progress drawn from it, the session and deploy calls, and which finished deploy's summary was closed.
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Api } from '../../src-shared/contract/contract.ts';
import type { Done, OverlayState } from '../../src-shared/contract/overlayContract.ts';
import type { AuditEntry } from '../../src-shared/protocol/audit.ts';
import type { RootProgress } from './deployProgress.ts';
import { progressByRoot } from './deployProgress.ts';
import type { NodeLook } from './graphStatus.ts';
import { graphStatus, keepUnchanged } from './graphStatus.ts';
import type { LoginInput } from './loginInput.ts';
import type { RootStatus } from './nodeStatus.ts';
import { statusByRoot } from './nodeStatus.ts';
import type { TunnelState } from './tunnelStatus.ts';
import { tunnelStatus } from './tunnelStatus.ts';

/** The calls the overlay's views make. */
export type OverlayApi = Pick<Api, 'overlay.get' | 'session.login' | 'session.keepAlive' | 'session.logout' | 'deploy.start' | 'deploy.approve' | 'deploy.decline' | 'keys.unlock' | 'keys.rotatePsk' | 'keys.revoke' | 'audit.read'>;

export interface OverlayActions {
  /** Fetches the state; call once at start (events then bring every change). */
  load(): Promise<void>;
  /** A state main sent without being asked: kept only when newer than the one shown. */
  receiveEvent(state: OverlayState): void;
  /** True once logged in; a refusal arrives with the state, as the session's `refusal`. */
  login(input: LoginInput): Promise<boolean>;
  /** The administrator is still there ("Stay logged in"). */
  keepAlive(): Promise<void>;
  logout(): Promise<void>;
  startDeploy(): Promise<void>;
  /** Answers the plan shown: the package is posted and followed, or nothing is sent. */
  approve(): Promise<void>;
  decline(): Promise<void>;
  /** Closes the finished deploy's summary. */
  closeDeploy(): void;
  /** Opens the overlay's kept keys (or seals them under a new passphrase); true when done. */
  unlockKeys(passphrase: string): Promise<boolean>;
  /** The overlay's audit trail, the newest entries (oldest first), or why it could not be read. */
  readAudit(): Promise<AuditRead>;
  /** Marks tunnel a–b's pre-shared key for rotation at the next deploy; what was done becomes the `notice`. */
  rotatePsk(a: number, b: number): Promise<void>;
  /** Revokes a leaf's (or a client's) certificate at the next deploy; what was done becomes the `notice`. */
  revoke(name: string): Promise<void>;
}

export type AuditRead = { ok: true; entries: AuditEntry[]; omitted: number } | { ok: false; reason: string };

/** As many entries as the audit view lists at once. */
export const AUDIT_VIEW_LIMIT = 200;

export interface OverlayStoreState {
  server: OverlayState | null;
  /** Each root with its leaves' status, by the root's node name (the canvas node's id); empty while logged out. */
  rootStatus: ReadonlyMap<string, RootStatus>;
  /**
   * Each node's status as the graph shows it, by node name (roots and leaves); an entry whose look did not change is
   * the previous object, so a heartbeat redraws only the nodes it changed. Empty while logged out.
   */
  graphStatus: ReadonlyMap<string, NodeLook>;
  /** Each tunnel's state by tunnel name, where its roots report one (a string: a status read redraws only the tunnels it changed). */
  tunnelStatus: ReadonlyMap<string, TunnelState>;
  /** Each root's deploy progress while nodes report, an unchanged entry kept as the previous object; empty otherwise. */
  rootProgress: ReadonlyMap<string, RootProgress>;
  /** A call that failed, or that main refused, as one line. */
  failure: string | null;
  /** What the last key change did and what the next deploy does about it, as one line. */
  notice: string | null;
  /** A call is on its way: the buttons that would make another wait. */
  busy: boolean;
  /** The `startedAt` of the finished deploy whose summary the administrator closed. */
  closedDeploy: number | null;
  actions: OverlayActions;
}

const NO_ROOTS: ReadonlyMap<string, never> = new Map<string, never>();
const sameProgress = (a: RootProgress, b: RootProgress) => a.state === b.state && a.leavesText === b.leavesText;

export function createOverlayStore(api: OverlayApi): StoreApi<OverlayStoreState> {
  return createStore<OverlayStoreState>()((set, get) => {
    const keep = (state: OverlayState) => {
      const current = get().server;
      if (current !== null && state.revision <= current.revision) return;
      // A deploy already done when the application connected is history, not news: its summary starts closed.
      const closedDeploy = current === null && state.deploy?.phase === 'done' ? state.deploy.startedAt : get().closedDeploy;
      const rows = state.status?.nodes ?? null;
      const rootStatus = rows === null ? NO_ROOTS : statusByRoot(rows);
      set({
        server: state,
        closedDeploy,
        rootStatus,
        graphStatus: rows === null ? NO_ROOTS : graphStatus(rows, rootStatus, get().graphStatus),
        tunnelStatus: rows === null ? NO_ROOTS : tunnelStatus(rows),
        rootProgress: state.deploy?.phase === 'following' ? keepUnchanged(get().rootProgress, progressByRoot(state.deploy), sameProgress) : NO_ROOTS,
      });
    };
    const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
    /** Runs a call with the buttons waiting; a refusal or a failure becomes the `failure` line, prefixed with what was tried. */
    const run = async <T>(what: string, call: () => Promise<T>, refusal: (answer: T) => string | null): Promise<T | undefined> => {
      set({ busy: true });
      try {
        const answer = await call();
        const reason = refusal(answer);
        set({ failure: reason === null ? null : `${what}: ${reason}` });
        return answer;
      } catch (error) {
        set({ failure: `${what}: ${message(error)}` });
        return undefined;
      } finally {
        set({ busy: false });
      }
    };
    const done = (what: string, call: () => Promise<Done>) => run(what, call, (answer) => (answer.ok ? null : answer.reason));
    const answerPlan = async (what: string, call: Api['deploy.approve']) => {
      const topologyId = get().server?.deploy?.topologyId;
      if (topologyId) await done(what, () => call({ topologyId }));
    };

    const actions: OverlayActions = {
      async load() {
        try {
          keep(await api['overlay.get']());
        } catch (error) {
          set({ failure: message(error) });
        }
      },
      receiveEvent: keep,
      async login(input) {
        // The refusal is the login view's to show, from the state: it is not a failure of the call.
        const answer = await run('Not logged in', () => api['session.login'](input), () => null);
        return answer?.ok === true;
      },
      async keepAlive() {
        await done('Could not keep the session', () => api['session.keepAlive']());
      },
      async logout() {
        await done('Not logged out', () => api['session.logout']());
      },
      async startDeploy() {
        await done('Deploy not started', () => api['deploy.start']());
      },
      approve: () => answerPlan('Deploy not approved', api['deploy.approve']),
      decline: () => answerPlan('Deploy not cancelled', api['deploy.decline']),
      closeDeploy() {
        set({ closedDeploy: get().server?.deploy?.startedAt ?? null });
      },
      async readAudit() {
        try {
          const answer = await api['audit.read']({ limit: AUDIT_VIEW_LIMIT });
          return answer.ok ? { ok: true, entries: answer.entries, omitted: answer.omitted } : answer;
        } catch (error) {
          return { ok: false, reason: message(error) };
        }
      },
      async rotatePsk(a, b) {
        const answer = await done('Key not rotated', () => api['keys.rotatePsk']({ a, b }));
        set({ notice: answer?.ok ? (answer.message ?? null) : null });
      },
      async revoke(name) {
        const answer = await done('Not revoked', () => api['keys.revoke']({ name }));
        set({ notice: answer?.ok ? (answer.message ?? null) : null });
      },
      async unlockKeys(passphrase) {
        return (await done('Keys not opened', () => api['keys.unlock']({ passphrase })))?.ok === true;
      },
    };
    return { server: null, rootStatus: NO_ROOTS, graphStatus: NO_ROOTS, tunnelStatus: NO_ROOTS, rootProgress: NO_ROOTS, failure: null, notice: null, busy: false, closedDeploy: null, actions };
  });
}
