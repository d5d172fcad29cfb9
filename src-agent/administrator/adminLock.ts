// The administrator lock at one root: holds the state machine's state, feeds it events and floods what it decides.
import { randomBytes } from 'node:crypto';
import type { AdministratorClaim, FloodMessage, MessageBody } from '../../src-shared/protocol/messages.ts';
import { INITIAL_LOCK_STATE, lockStep, loginProgress } from './lockMachine.ts';
import type { LocalLogin, LockConfig, LockEffect, LockEvent, LockMessage, LockState } from './lockMachine.ts';
import type { LoginProgress } from '../../src-shared/protocol/agentApi.ts';

export const DEFAULT_IDLE_MS = 30 * 60_000;
export const DEFAULT_LOGIN_TIMEOUT_MS = 120_000;
export const DEFAULT_RESEND_MS = 4_000;

type LockType = LockEffect['type'];

export interface AdminLockOptions {
  selfRootId: number;
  now: () => number;
  /** Roots not known to be down, pending ones included (the status book's liveRoots). */
  liveRoots: () => readonly number[];
  /**
   * Told the origin of every lock message before it is handled: the message proves that root exists, so it counts as
   * live until known down even if its heartbeat has not arrived yet (the status book's heardFrom).
   */
  heardFrom?: (node: string) => void;
  /** Floods a message: the router's originate. */
  flood: <T extends LockType>(type: T, body: MessageBody<T>) => void;
  idleMs?: number;
  loginTimeoutMs?: number;
  resendMs?: number;
  newLoginId?: () => string;
  /** Told after every event this root's own login as it was before and as it is now (the audit trail's lock changes). */
  onLocalLogin?: (cause: LockEvent['kind'], before: LocalLogin | null, after: LocalLogin | null) => void;
}

export type LoginResult = { ok: true; loginId: string; progress: LoginProgress } | { ok: false; reason: string };

export interface AdminLock {
  /** Starts a login for a user whose credentials were checked; it completes once every root not known down acknowledged. */
  login(user: string): LoginResult;
  /** The login begun here: progress while waiting, or how it ended. Undefined for any other id. */
  progress(loginId: string): LoginProgress | undefined;
  /** Records activity of an established session; false when `loginId` is not one. */
  touch(loginId: string): boolean;
  logout(loginId: string): boolean;
  /** Feeds a flooded message; other types than the lock's are ignored. */
  receive(message: FloodMessage): void;
  /** Idle expiry, login timeout, resends, letting go of claims of dead roots: call about every second. */
  tick(): void;
  /** The claim this root honours now, if any. */
  holder(): AdministratorClaim | null;
}

const LOCK_TYPES: ReadonlySet<string> = new Set<LockType>(['i_have_administrator', 'acknowledge_administrator', 'i_lost_administrator']);

export function createAdminLock(options: AdminLockOptions): AdminLock {
  const config: LockConfig = {
    selfRootId: options.selfRootId,
    idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
    loginTimeoutMs: options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
    resendMs: options.resendMs ?? DEFAULT_RESEND_MS,
  };
  const newLoginId = options.newLoginId ?? (() => randomBytes(16).toString('base64url'));
  let state: LockState = INITIAL_LOCK_STATE;

  const context = () => ({ now: options.now(), liveRoots: options.liveRoots() });

  const apply = (event: LockEvent): string | undefined => {
    const step = lockStep(config, state, event, context());
    const before = state.local;
    state = step.state;
    for (const effect of step.effects) options.flood<LockType>(effect.type, effect.body);
    options.onLocalLogin?.(event.kind, before, state.local);
    return step.refusal;
  };

  const progress = (loginId: string) => (state.local?.loginId === loginId ? loginProgress(config, state.local, context()) : undefined);

  return {
    login(user) {
      const loginId = newLoginId();
      const refusal = apply({ kind: 'login', loginId, user });
      return refusal === undefined ? { ok: true, loginId, progress: progress(loginId)! } : { ok: false, reason: refusal };
    },
    progress,
    touch(loginId) {
      apply({ kind: 'touch', loginId });
      return state.local?.loginId === loginId && state.local.phase === 'active';
    },
    logout: (loginId) => apply({ kind: 'logout', loginId }) === undefined,
    receive(message) {
      if (!LOCK_TYPES.has(message.type)) return;
      options.heardFrom?.(message.origin);
      apply({ kind: 'message', message: message as LockMessage });
    },
    tick() {
      apply({ kind: 'tick' });
    },
    holder: () => state.acked,
  };
}
