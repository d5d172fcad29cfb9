import { describe, expect, it } from 'vitest';
import { answered, fakeAgent, refused } from './fakeAgent.testkit.ts';
import type { FakeHandlers } from './fakeAgent.testkit.ts';
import { manualClock } from './manualClock.testkit.ts';
import { openSession } from './session.ts';
import type { SessionEvent } from './session.ts';

const TOKEN = 'session-token-0123456789';
const MINUTE = 60_000;
const SNAPSHOT = { node: 'root-1', generatedAt: 1, nodes: [] };

/** A session opened at time 0 that expires after 30 minutes idle, warned 5 minutes before. */
function opened(handlers: FakeHandlers = {}) {
  const clock = manualClock(0);
  const client = fakeAgent({ status: () => answered<'status'>(SNAPSHOT), logout: () => answered<'logout'>({ loggedOut: true }), ...handlers });
  const events: (SessionEvent & { at: number })[] = [];
  const session = openSession({
    client,
    token: TOKEN,
    user: 'administrator',
    entry: 'root-1',
    loginId: 'login-0123456789',
    lastActivity: 0,
    now: clock.now,
    timers: clock,
    idleMs: 30 * MINUTE,
    warnMs: 5 * MINUTE,
    onEvent: (e) => events.push({ ...e, at: clock.now() }),
  });
  return { clock, client, events, session };
}

describe('a session', () => {
  it('warns five minutes before it expires for lack of activity, then says it ended', async () => {
    const { clock, events, session } = opened();
    expect(session.expiresAt()).toBe(30 * MINUTE);
    await clock.advance(25 * MINUTE - 1);
    expect(events).toEqual([]);
    await clock.advance(1);
    expect(events).toEqual([{ type: 'expiring', expiresAt: 30 * MINUTE, at: 25 * MINUTE }]);
    await clock.advance(5 * MINUTE);
    expect(events.at(-1)).toEqual({ type: 'ended', reason: 'idle for 30 minutes: the entry root ends such a session', at: 30 * MINUTE });
    expect(clock.pending()).toEqual([]);
  });

  it('is kept alive by what is asked of it, and warns again before the new expiry', async () => {
    const { clock, events, session } = opened();
    await clock.advance(26 * MINUTE);
    expect(await session.api.status()).toMatchObject({ ok: true, answer: SNAPSHOT });
    expect(session.expiresAt()).toBe(56 * MINUTE);
    await clock.advance(25 * MINUTE);
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['expiring', 25 * MINUTE],
      ['expiring', 51 * MINUTE],
    ]);
  });

  it('counts a refusal of what was asked as activity, as the agent does', async () => {
    const { clock, session } = opened({ status: () => refused('conflict', 'busy', 409) });
    await clock.advance(MINUTE);
    await session.api.status();
    expect(session.expiresAt()).toBe(31 * MINUTE);
  });

  it('does not count what never reached the agent', async () => {
    const { clock, session } = opened({ status: () => refused('unreachable', 'connect ECONNREFUSED') });
    await clock.advance(MINUTE);
    await session.api.status();
    expect(session.expiresAt()).toBe(30 * MINUTE);
  });

  it('sends its token on every route a session calls', async () => {
    const { client, session } = opened();
    await session.api.status();
    expect(client.calls).toEqual([{ route: 'status', session: TOKEN }]);
  });

  it('ends when the entry root no longer knows it', async () => {
    const { clock, events, session } = opened({ status: () => refused('unauthenticated', 'expected the Authorization: Bearer <session token> that login returned', 401) });
    await session.api.status();
    expect(events).toEqual([{ type: 'ended', reason: 'root-1 no longer knows this session: expected the Authorization: Bearer <session token> that login returned', at: 0 }]);
    expect(clock.pending()).toEqual([]);
  });

  it('logs out with its token, closes the client and stops its expiry timer', async () => {
    const { clock, client, events, session } = opened();
    expect(await session.logout()).toEqual({ ok: true });
    expect([client.calls, client.closed, clock.pending()]).toEqual([[{ route: 'logout', session: TOKEN }], true, []]);
    expect(events).toEqual([{ type: 'ended', reason: 'logged out', at: 0 }]);
  });

  it.each([
    ['one the entry root had ended already', refused('unauthenticated', 'expected the Authorization', 401), { ok: true }],
    ['an entry root that does not answer', refused('unreachable', 'connect ECONNREFUSED'), { ok: false, message: 'root-1 did not end the session (connect ECONNREFUSED); it ends by itself after 30 minutes idle' }],
  ] as const)('logs out of %s', async (_, answer, expected) => {
    const { clock, client, session } = opened({ logout: () => answer });
    expect(await session.logout()).toEqual(expected);
    expect([client.closed, clock.pending()]).toEqual([true, []]);
  });
});
