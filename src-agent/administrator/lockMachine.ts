// The administrator lock at one root as a pure state machine (seed §4, §9.1): events in, new state and messages to flood out.
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { AdministratorClaim, FloodMessageOf, MessageBody } from '../../src-shared/protocol/messages.ts';
import type { LoginPhase, LoginProgress } from '../../src-shared/protocol/agentApi.ts';

export interface LockConfig {
  selfRootId: number;
  /** A session with no activity for this long ends (default 30 minutes). */
  idleMs: number;
  /** A login not acknowledged by every root not known to be down by then is given up. */
  loginTimeoutMs: number;
  /** While waiting, the request is flooded again this often, for roots that missed it (the seed's wait page: 4 s). */
  resendMs: number;
}

/** The login begun at this root: in progress, established, or how it finished. */
export interface LocalLogin {
  loginId: string;
  user: string;
  phase: LoginPhase;
  startedAt: number;
  lastActivity: number;
  /** When its claim was last flooded: resent while waiting, announced again while active. */
  lastSentAt: number;
  /** Roots that acknowledged it (this one included). */
  acks: number[];
  /** Why it was refused or ended. */
  reason?: string;
}

export interface LockState {
  /** The claim this root honours: its own login, another root's, or none. */
  acked: AdministratorClaim | null;
  local: LocalLogin | null;
  /** Per root, the timestamp of its newest lock message handled: an older one arriving late is stale and ignored. */
  heard: Readonly<Record<number, number>>;
}

export const INITIAL_LOCK_STATE: LockState = { acked: null, local: null, heard: {} };

export type LockMessage = FloodMessageOf<'i_have_administrator' | 'acknowledge_administrator' | 'i_lost_administrator'>;

export type LockEvent =
  | { kind: 'login'; loginId: string; user: string }
  | { kind: 'logout'; loginId: string }
  | { kind: 'touch'; loginId: string }
  | { kind: 'tick' }
  | { kind: 'message'; message: LockMessage };

export interface LockContext {
  now: number;
  /**
   * Roots not known to be down (the status book's liveRoots): alive ones, and pending ones this root knows of but has not
   * heard from since it started, until three heartbeat intervals have passed. A login needs every one of them (and this
   * root) to acknowledge, so right after a start it waits for the roots it expects instead of completing alone.
   */
  liveRoots: readonly number[];
}

export type LockEffect =
  | { type: 'i_have_administrator'; body: MessageBody<'i_have_administrator'> }
  | { type: 'acknowledge_administrator'; body: MessageBody<'acknowledge_administrator'> }
  | { type: 'i_lost_administrator'; body: MessageBody<'i_lost_administrator'> };

export interface LockStep {
  state: LockState;
  effects: LockEffect[];
  /** For a login or logout event that could not be carried out: why. */
  refusal?: string;
}

/** Why a claim has to give way to `winner`. */
const yieldTo = (winner: AdministratorClaim) =>
  winner.established
    ? `administrator "${winner.user}" is logged in at root ${winner.rootId}`
    : `root ${winner.rootId} has the lower id and is logging in administrator "${winner.user}" at the same time`;

/** Who wins between two claims: an established session, else the lower root id (seed §4). */
function outranks(a: AdministratorClaim, b: AdministratorClaim): boolean {
  if (a.established !== b.established) return a.established;
  return a.rootId < b.rootId;
}

function expectedRoots(config: LockConfig, ctx: LockContext): number[] {
  return [...new Set([...ctx.liveRoots, config.selfRootId])].sort((a, b) => a - b);
}

export function loginProgress(config: LockConfig, local: LocalLogin, ctx: LockContext): LoginProgress {
  const expected = expectedRoots(config, ctx);
  const waitingFor = expected.filter((r) => !local.acks.includes(r));
  return {
    loginId: local.loginId,
    phase: local.phase,
    acknowledged: expected.length - waitingFor.length,
    expected: expected.length,
    waitingFor,
    ...(local.reason !== undefined ? { reason: local.reason } : {}),
  };
}

/** Applies one event. The input state is not modified. */
export function lockStep(config: LockConfig, input: LockState, event: LockEvent, ctx: LockContext): LockStep {
  const self = config.selfRootId;
  const state: LockState = {
    acked: input.acked && { ...input.acked },
    local: input.local && { ...input.local, acks: [...input.local.acks] },
    heard: input.heard,
  };
  const effects: LockEffect[] = [];
  const flood = (effect: LockEffect) => effects.push(effect);
  const done = (refusal?: string): LockStep => (refusal === undefined ? { state, effects } : { state, effects, refusal });

  const grant = (claim: AdministratorClaim) => {
    if (!claim.established) flood({ type: 'acknowledge_administrator', body: { rootId: claim.rootId, loginId: claim.loginId, granted: true } });
  };
  const refuse = (claim: { rootId: number; loginId: string }, reason: string, holder: AdministratorClaim | null) =>
    flood({
      type: 'acknowledge_administrator',
      body: { rootId: claim.rootId, loginId: claim.loginId, granted: false, reason, ...(holder ? { holder } : {}) },
    });
  /** Ends this root's own login (refused while waiting, ended once active) and tells the others to let go of it. */
  const endLocal = (reason: string, lost: MessageBody<'i_lost_administrator'>['reason']) => {
    const local = state.local!;
    local.phase = local.phase === 'active' ? 'ended' : 'refused';
    local.reason = reason;
    if (state.acked?.rootId === self) state.acked = null;
    flood({ type: 'i_lost_administrator', body: { loginId: local.loginId, reason: lost } });
  };
  const completeIfAcknowledged = () => {
    const local = state.local;
    if (local?.phase !== 'waiting') return;
    if (!expectedRoots(config, ctx).every((r) => local.acks.includes(r))) return;
    local.phase = 'active';
    local.lastActivity = ctx.now;
    local.lastSentAt = ctx.now;
    state.acked = { rootId: self, loginId: local.loginId, user: local.user, established: true };
    flood({ type: 'i_have_administrator', body: { loginId: local.loginId, user: local.user, established: true } });
  };
  const isLocal = (loginId: string) => state.local?.loginId === loginId;
  const localLive = () => state.local?.phase === 'waiting' || state.local?.phase === 'active';

  switch (event.kind) {
    case 'login': {
      // Named, so that the administrator turned away knows whom to ask (the name travels in every root's floods anyway).
      if (localLive()) return done(`administrator "${state.local!.user}" ${state.local!.phase === 'active' ? 'is logged in' : 'is logging in'} at root ${self}`);
      const own: AdministratorClaim = { rootId: self, loginId: event.loginId, user: event.user, established: false };
      const previous = state.acked;
      if (previous && outranks(previous, own)) return done(yieldTo(previous));
      if (previous) refuse(previous, yieldTo(own), own);
      state.acked = own;
      state.local = { loginId: event.loginId, user: event.user, phase: 'waiting', startedAt: ctx.now, lastActivity: ctx.now, lastSentAt: ctx.now, acks: [self] };
      flood({ type: 'i_have_administrator', body: { loginId: own.loginId, user: own.user, established: false } });
      completeIfAcknowledged();
      return done();
    }

    case 'logout': {
      if (!isLocal(event.loginId) || !localLive()) return done('no such login at this root');
      endLocal('logged out', 'logout');
      return done();
    }

    case 'touch': {
      if (isLocal(event.loginId) && state.local!.phase === 'active') state.local!.lastActivity = ctx.now;
      return done();
    }

    case 'tick': {
      const local = state.local;
      if (local?.phase === 'active' && ctx.now - local.lastActivity >= config.idleMs) {
        endLocal(`idle for ${Math.round(config.idleMs / 60_000)} minutes`, 'idle');
      }
      completeIfAcknowledged();
      if (local?.phase === 'waiting') {
        if (ctx.now - local.startedAt >= config.loginTimeoutMs) {
          const missing = loginProgress(config, local, ctx).waitingFor;
          endLocal(`timed out: root${missing.length === 1 ? '' : 's'} ${missing.join(', ')} did not acknowledge within ${Math.round(config.loginTimeoutMs / 1000)} s`, 'timeout');
        } else if (ctx.now - local.lastSentAt >= config.resendMs) {
          local.lastSentAt = ctx.now;
          flood({ type: 'i_have_administrator', body: { loginId: local.loginId, user: local.user, established: false } });
        }
      }
      // The holder keeps announcing its session, as often as a login is resent: a root that lost the claim (a message
      // lost, a restart, the holder taken for down for a while) takes it back, and refuses any other login meanwhile.
      if (local?.phase === 'active' && ctx.now - local.lastSentAt >= config.resendMs) {
        local.lastSentAt = ctx.now;
        flood({ type: 'i_have_administrator', body: { loginId: local.loginId, user: local.user, established: true } });
      }
      // A claim held by a root that has gone down cannot be in use: let it go, so the overlay is not locked forever.
      if (state.acked && state.acked.rootId !== self && !ctx.liveRoots.includes(state.acked.rootId)) state.acked = null;
      return done();
    }

    case 'message':
      return done(onMessage(event.message));
  }

  function onMessage(message: LockMessage): undefined {
    const origin = parseNodeName(message.origin);
    if (origin?.role !== 'root' || origin.rootId === self) return;
    const from = origin.rootId;
    if (message.ts < (state.heard[from] ?? -Infinity)) return;
    state.heard = { ...state.heard, [from]: message.ts };

    if (message.type === 'i_have_administrator') {
      const claim: AdministratorClaim = { rootId: from, ...message.body };
      const current = state.acked;
      if (current === null || current.rootId === from) {
        state.acked = claim;
        grant(claim);
      } else if (outranks(current, claim)) {
        refuse(claim, yieldTo(current), current);
      } else {
        // The newcomer wins: let go of the current claim and say why.
        if (current.rootId === self && localLive()) endLocal(yieldTo(claim), 'lost_race');
        else refuse(current, yieldTo(claim), claim);
        state.acked = claim;
        grant(claim);
      }
      return;
    }

    if (message.type === 'i_lost_administrator') {
      if (state.acked?.rootId === from && state.acked.loginId === message.body.loginId) state.acked = null;
      return;
    }

    const answer = message.body;
    if (answer.rootId !== self || !isLocal(answer.loginId)) return;
    const local = state.local!;
    if (answer.granted) {
      if (local.phase === 'waiting' && !local.acks.includes(from)) {
        local.acks.push(from);
        completeIfAcknowledged();
      }
    } else if (local.phase === 'waiting' || (local.phase === 'active' && answer.holder && outranks(answer.holder, state.acked!))) {
      // Refused while waiting; or, once a partition heals, an established session at a lower root id wins.
      endLocal(answer.reason, 'refused');
      if (answer.holder && answer.holder.rootId !== self) state.acked = answer.holder;
    } else if (local.phase === 'active') {
      // A root let go of this session for a claim that cannot win against it: remind everyone it is established.
      flood({ type: 'i_have_administrator', body: { loginId: local.loginId, user: local.user, established: true } });
    }
  }
}
