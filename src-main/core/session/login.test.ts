import { describe, expect, it } from 'vitest';
import type { LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import type { AgentResult } from '../agentClient/agentAnswer.ts';
import { sampleAccess } from '../overlayAccess/overlayAccess.testkit.ts';
import { answered, fakeAgent, refused } from './fakeAgent.testkit.ts';
import type { FakeHandlers } from './fakeAgent.testkit.ts';
import { login } from './login.ts';
import type { LoginCredentials, LoginOptions } from './login.ts';
import { manualClock } from './manualClock.testkit.ts';
import type { SessionEvent } from './session.ts';

const TOKEN = 'session-token-0123456789';
const LOGIN_ID = 'login-0123456789';
const CREDENTIALS: LoginCredentials = { user: 'administrator', password: 'the current secret' };

const progress = (phase: LoginProgress['phase'], acknowledged: number, expected: number, waitingFor: number[], reason?: string): LoginProgress => ({
  loginId: LOGIN_ID,
  phase,
  acknowledged,
  expected,
  waitingFor,
  ...(reason === undefined ? {} : { reason }),
});

/** An entry root that accepts the login with `first` and then answers its progress with `then`, one per poll. */
function entryRoot(first: LoginProgress, then: AgentResult<'loginProgress'>[], extra: FakeHandlers = {}) {
  return fakeAgent({
    login: () => answered<'login'>({ session: TOKEN, loginId: LOGIN_ID, progress: first }),
    loginProgress: () => then.shift() ?? refused('not_found', 'the script ran out', 404),
    logout: () => answered<'logout'>({ loggedOut: true }),
    ...extra,
  });
}

/** Runs a login on a manual clock; events are noted with the time they came at. */
async function run(client: ReturnType<typeof fakeAgent>, credentials = CREDENTIALS, options: LoginOptions = {}) {
  const clock = manualClock(0);
  const events: (SessionEvent & { at: number })[] = [];
  const result = await clock.settle(login(sampleAccess(), credentials, { client, now: clock.now, timers: clock, sessionTimers: clock, onEvent: (e) => events.push({ ...e, at: clock.now() }), ...options }));
  return { result, events, clock };
}

const brief = (events: SessionEvent[]) => events.map((e) => ('root' in e ? `${e.type} ${e.root}` : e.type));

describe('login', () => {
  it("follows the lock every 250 ms, telling each root's acknowledgement as it arrives, to a session", async () => {
    const client = entryRoot(progress('waiting', 1, 3, [2, 3]), [
      answered(progress('waiting', 1, 3, [2, 3])),
      answered(progress('waiting', 2, 3, [3])),
      answered(progress('active', 3, 3, [])),
    ]);
    const { result, events } = await run(client);
    expect(brief(events)).toEqual(['accepted', 'acknowledged root-1', 'acknowledged root-2', 'acknowledged root-3', 'established']);
    expect(events.map((e) => e.at)).toEqual([0, 0, 500, 750, 750]);
    expect(result).toMatchObject({ ok: true, progress: { phase: 'active', acknowledged: 3 }, session: { user: 'administrator', entry: 'root-1', loginId: LOGIN_ID } });
    expect(client.calls.map((c) => [c.route, c.session])).toEqual([['login', undefined], ...Array(3).fill(['loginProgress', TOKEN])]);
    expect(client.closed).toBe(false);
  });

  it('reckons the expiry from the last poll that still saw the lock being taken, the latest the entry root could have counted from', async () => {
    const client = entryRoot(progress('waiting', 1, 2, [2]), [answered(progress('waiting', 1, 2, [2])), answered(progress('active', 2, 2, []))]);
    const { result, events } = await run(client, CREDENTIALS, { idleMs: 60_000 });
    expect(result.ok && result.session.expiresAt()).toBe(250 + 60_000);
    expect(events.at(-1)).toMatchObject({ type: 'established', expiresAt: 60_250 });
  });

  it('is established at once on an overlay of one root, without polling', async () => {
    const client = entryRoot(progress('active', 1, 1, []), []);
    const { result, events } = await run(client);
    expect(result.ok).toBe(true);
    expect(brief(events)).toEqual(['accepted', 'acknowledged root-1', 'established']);
    expect(client.calls.map((c) => c.route)).toEqual(['login']);
  });

  it('sends the credentials as given, and never tells them in an event', async () => {
    const client = entryRoot(progress('active', 1, 1, []), []);
    const credentials = { user: 'administrator', password: 'makeitrain', newPassword: 'a much better secret' };
    const { events } = await run(client, credentials);
    expect(client.calls[0]!.body).toEqual(credentials);
    expect(JSON.stringify(events)).not.toMatch(/makeitrain|better secret|session-token/);
  });

  it.each([
    ['the default password without a new one', refused('forbidden', 'the default password must be changed at first login: give a new password', 403), CREDENTIALS, { code: 'new-password-required' }],
    ['a new password refused', refused('forbidden', 'the new password must have at least 10 characters', 403), { ...CREDENTIALS, newPassword: 'short' }, { code: 'weak-password' }],
    ['another administrator', refused('conflict', 'administrator "alice" is logged in at root 2', 409), CREDENTIALS, { code: 'locked', holder: { user: 'alice', root: 'root-2', established: true } }],
    ['a wrong password', refused('unauthenticated', 'wrong user name or password', 401), CREDENTIALS, { code: 'bad-credentials' }],
  ] as const)('fails without a token when the entry root refuses: %s', async (_, answer, credentials, expected) => {
    const client = fakeAgent({ login: () => answer });
    const { result, events } = await run(client, credentials);
    expect(result).toEqual({ ok: false, message: answer.reason, ...expected });
    expect([events, client.calls.map((c) => c.route), client.closed]).toEqual([[], ['login'], true]);
  });

  it('says who won the lock when the login loses a race, and frees what it held', async () => {
    const why = 'root 1 has the lower id and is logging in administrator "administrator" at the same time';
    const client = entryRoot(progress('waiting', 1, 3, [1, 3]), [answered(progress('refused', 1, 3, [1, 3], why))]);
    const { result } = await run(client);
    expect(result).toEqual({ ok: false, code: 'locked', message: why, holder: { user: 'administrator', root: 'root-1', established: false } });
    expect(client.calls.at(-1)).toEqual({ route: 'logout', session: TOKEN });
    expect(client.closed).toBe(true);
  });

  it.each([
    ['forgets the login', refused('not_found', 'that login is no longer known here', 404), { code: 'refused', message: 'root-1 lost track of the login: that login is no longer known here' }],
    ['stops answering', refused('unreachable', 'connect ECONNREFUSED (after 3 attempts)'), { code: 'unreachable', message: 'root-1 lost track of the login: connect ECONNREFUSED (after 3 attempts)' }],
  ] as const)('fails when the entry root %s while the lock is taken', async (_, answer, expected) => {
    const client = entryRoot(progress('waiting', 1, 2, [2]), [answer]);
    const { result } = await run(client);
    expect(result).toEqual({ ok: false, ...expected });
    expect([client.calls.at(-1)?.route, client.closed]).toEqual(['logout', true]);
  });

  it('gives up on an entry root that keeps saying it waits, and frees the lock', async () => {
    const waiting = progress('waiting', 1, 2, [2]);
    const client = entryRoot(waiting, [], { loginProgress: () => answered<'loginProgress'>(waiting) });
    const { result, clock } = await run(client, CREDENTIALS, { maxWaitMs: 10_000 });
    expect(result).toEqual({ ok: false, code: 'refused', message: 'root-1 still waits for root-2 to acknowledge after 10 s' });
    expect(clock.now()).toBe(10_000);
    expect(client.calls.filter((c) => c.route === 'loginProgress')).toHaveLength(40);
    expect([client.calls.at(-1)?.route, client.closed]).toEqual(['logout', true]);
  });
});
