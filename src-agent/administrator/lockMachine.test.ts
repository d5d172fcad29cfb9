import { describe, expect, it } from 'vitest';
import type { AdministratorClaim } from '../../src-shared/protocol/messages.ts';
import { INITIAL_LOCK_STATE, lockStep } from './lockMachine.ts';
import type { LockConfig, LockEvent, LockMessage, LockState } from './lockMachine.ts';

const config: LockConfig = { selfRootId: 2, idleMs: 30 * 60_000, loginTimeoutMs: 120_000, resendMs: 4_000 };
const ctx = { now: 1000, liveRoots: [1, 2, 3] };

function message(origin: number, ts: number, type: LockMessage['type'], body: object): LockEvent {
  return { kind: 'message', message: { id: `root-${origin}.${ts}`, origin: `root-${origin}`, type, ts, sig: 'A'.repeat(86), body } as LockMessage };
}

const claim = (rootId: number, established: boolean): AdministratorClaim => ({ rootId, loginId: `login-${rootId}000`, user: `u${rootId}`, established });

function run(events: LockEvent[], state: LockState = INITIAL_LOCK_STATE) {
  const effects = [];
  for (const event of events) {
    const step = lockStep(config, state, event, ctx);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

describe('lockStep', () => {
  it('does not modify the state it is given', () => {
    const before = structuredClone(INITIAL_LOCK_STATE);
    lockStep(config, INITIAL_LOCK_STATE, { kind: 'login', loginId: 'login-0001', user: 'alice' }, ctx);
    expect(INITIAL_LOCK_STATE).toEqual(before);
  });

  it('acknowledges the first request, and then a lower root over a higher one, withdrawing with a reason', () => {
    const { state, effects } = run([
      message(3, 10, 'i_have_administrator', { loginId: 'login-3000', user: 'u3', established: false }),
      message(1, 11, 'i_have_administrator', { loginId: 'login-1000', user: 'u1', established: false }),
    ]);
    expect(state.acked).toEqual(claim(1, false));
    expect(effects).toEqual([
      { type: 'acknowledge_administrator', body: { rootId: 3, loginId: 'login-3000', granted: true } },
      {
        type: 'acknowledge_administrator',
        body: { rootId: 3, loginId: 'login-3000', granted: false, reason: 'root 1 has the lower id and is logging in administrator "u1" at the same time', holder: claim(1, false) },
      },
      { type: 'acknowledge_administrator', body: { rootId: 1, loginId: 'login-1000', granted: true } },
    ]);
  });

  it('ignores a lock message older than the newest from the same root', () => {
    const { state } = run([
      message(3, 20, 'i_lost_administrator', { loginId: 'login-3000', reason: 'logout' }),
      message(3, 10, 'i_have_administrator', { loginId: 'login-3000', user: 'u3', established: true }),
    ]);
    expect(state.acked).toBeNull();
  });

  it('an established session outranks a lower root still logging in', () => {
    const { state, effects } = run([
      message(3, 10, 'i_have_administrator', { loginId: 'login-3000', user: 'u3', established: true }),
      message(1, 11, 'i_have_administrator', { loginId: 'login-1000', user: 'u1', established: false }),
    ]);
    expect(state.acked).toEqual(claim(3, true));
    expect(effects).toEqual([
      { type: 'acknowledge_administrator', body: { rootId: 1, loginId: 'login-1000', granted: false, reason: 'administrator "u3" is logged in at root 3', holder: claim(3, true) } },
    ]);
  });

  it('when a partition heals, of two established sessions the lower root id keeps its own', () => {
    const established = run([{ kind: 'login', loginId: 'login-2000', user: 'u2' }, message(1, 5, 'acknowledge_administrator', { rootId: 2, loginId: 'login-2000', granted: true }), message(3, 5, 'acknowledge_administrator', { rootId: 2, loginId: 'login-2000', granted: true })]);
    expect(established.state.local?.phase).toBe('active');
    const higher = run([message(3, 10, 'i_have_administrator', { loginId: 'login-3000', user: 'u3', established: true })], established.state);
    expect(higher.state.local?.phase).toBe('active');
    expect(higher.effects[0]).toMatchObject({ type: 'acknowledge_administrator', body: { rootId: 3, granted: false } });
    const lower = run([message(1, 10, 'i_have_administrator', { loginId: 'login-1000', user: 'u1', established: true })], established.state);
    expect(lower.state.local).toMatchObject({ phase: 'ended', reason: 'administrator "u1" is logged in at root 1' });
    expect(lower.state.acked).toEqual(claim(1, true));
    expect(lower.effects).toEqual([{ type: 'i_lost_administrator', body: { loginId: 'login-2000', reason: 'lost_race' } }]);
  });

  it('an established session reasserts itself when a root withdraws it for a weaker claim', () => {
    const active = run([{ kind: 'login', loginId: 'login-2000', user: 'u2' }, message(1, 5, 'acknowledge_administrator', { rootId: 2, loginId: 'login-2000', granted: true }), message(3, 5, 'acknowledge_administrator', { rootId: 2, loginId: 'login-2000', granted: true })]);
    const { state, effects } = run(
      [message(3, 9, 'acknowledge_administrator', { rootId: 2, loginId: 'login-2000', granted: false, reason: 'root 1 has the lower id', holder: claim(1, false) })],
      active.state,
    );
    expect(state.local?.phase).toBe('active');
    expect(effects).toEqual([{ type: 'i_have_administrator', body: { loginId: 'login-2000', user: 'u2', established: true } }]);
  });

  it('the holder announces its session again every resend interval while it is active, and not after', () => {
    const active = run([{ kind: 'login', loginId: 'login-2000', user: 'u2' }, message(1, 5, 'acknowledge_administrator', { rootId: 2, loginId: 'login-2000', granted: true }), message(3, 5, 'acknowledge_administrator', { rootId: 2, loginId: 'login-2000', granted: true })]);
    const announced = (from: LockState, times: number[]) => {
      let state = from;
      const at: number[] = [];
      for (const now of times) {
        const step = lockStep(config, state, { kind: 'tick' }, { ...ctx, now });
        state = step.state;
        if (step.effects.some((e) => e.type === 'i_have_administrator' && e.body.established)) at.push(now);
      }
      return { state, at };
    };
    const ticks = Array.from({ length: 10 }, (_, i) => ctx.now + (i + 1) * 1_000);
    expect(announced(active.state, ticks).at).toEqual([ctx.now + 4_000, ctx.now + 8_000]);
    const loggedOut = run([{ kind: 'logout', loginId: 'login-2000' }], active.state);
    expect(announced(loggedOut.state, ticks).at).toEqual([]);
  });

  it('a root that let go of a holder it took for down takes its announcement back, and refuses a login meanwhile', () => {
    const holding = run([message(1, 5, 'i_have_administrator', { loginId: 'login-1000', user: 'u1', established: true })]);
    const dropped = lockStep(config, holding.state, { kind: 'tick' }, { now: 2_000, liveRoots: [2, 3] });
    expect(dropped.state.acked).toBeNull();
    const back = run([message(1, 9, 'i_have_administrator', { loginId: 'login-1000', user: 'u1', established: true })], dropped.state);
    expect(back.state.acked).toEqual(claim(1, true));
    expect(lockStep(config, back.state, { kind: 'login', loginId: 'login-2000', user: 'u2' }, ctx).refusal).toBe('administrator "u1" is logged in at root 1');
  });

  it('ignores answers meant for another root or another login', () => {
    const waiting = run([{ kind: 'login', loginId: 'login-2000', user: 'u2' }]);
    const { state } = run(
      [
        message(1, 5, 'acknowledge_administrator', { rootId: 3, loginId: 'login-2000', granted: false, reason: 'x' }),
        message(1, 6, 'acknowledge_administrator', { rootId: 2, loginId: 'login-9999', granted: false, reason: 'x' }),
      ],
      waiting.state,
    );
    expect(state.local?.phase).toBe('waiting');
  });
});
