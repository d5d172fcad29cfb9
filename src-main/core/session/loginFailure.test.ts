import { describe, expect, it } from 'vitest';
import type { AgentFailure } from '../agentClient/agentAnswer.ts';
import { endedLogin, refusedLogin } from './loginFailure.ts';

const failure = (code: AgentFailure['code'], reason: string, status?: number): AgentFailure => ({ ok: false, code, reason, ...(status ? { status } : {}) });

describe('refusedLogin', () => {
  it.each([
    ['the default password without a new one', failure('forbidden', 'the default password must be changed at first login: give a new password', 403), false, { code: 'new-password-required' }],
    ['a new password too short', failure('forbidden', 'the new password must have at least 10 characters', 403), true, { code: 'weak-password', message: 'the new password must have at least 10 characters' }],
    ['a wrong password', failure('unauthenticated', 'wrong user name or password', 401), false, { code: 'bad-credentials' }],
    ['too many guesses', failure('rate_limited', 'too many failed logins from 127.0.0.1; try again in 60 s', 429), false, { code: 'rate-limited' }],
    ['a root not heard yet', failure('unavailable', 'no administrator password is known here yet', 503), false, { code: 'unavailable' }],
    ['no answer', failure('unreachable', 'root-1 at https://127.0.0.1:1: connect ECONNREFUSED'), false, { code: 'unreachable' }],
    ['an answer that is not the agent', failure('bad_answer', 'HTTP 200 with text/html'), false, { code: 'unreachable' }],
    [
      'another administrator',
      failure('conflict', 'administrator "alice" is logged in at root 2', 409),
      false,
      { code: 'locked', message: 'administrator "alice" is logged in at root 2', holder: { user: 'alice', root: 'root-2', established: true } },
    ],
    ['a conflict that is not the lock', failure('conflict', 'the stored administrator credential is unreadable', 409), false, { code: 'refused' }],
    ['a malformed request', failure('malformed', 'body.user: expected a string', 400), false, { code: 'refused', message: 'body.user: expected a string' }],
  ] as const)('%s', (_, given, gaveNewPassword, expected) => {
    expect(refusedLogin(given, gaveNewPassword)).toEqual({ ok: false, message: given.reason, ...expected });
  });
});

describe('endedLogin', () => {
  const progress = { loginId: 'login-0123456789', acknowledged: 1, expected: 3, waitingFor: [2, 3] };

  it('names who won the lock', () => {
    const reason = 'root 1 has the lower id and is logging in administrator "administrator" at the same time';
    expect(endedLogin({ ...progress, phase: 'refused', reason })).toEqual({ ok: false, code: 'locked', message: reason, holder: { user: 'administrator', root: 'root-1', established: false } });
  });

  it("gives the lock's reason when no one holds it", () => {
    const reason = 'timed out: roots 2, 3 did not acknowledge within 120 s';
    expect(endedLogin({ ...progress, phase: 'refused', reason })).toEqual({ ok: false, code: 'refused', message: reason });
    expect(endedLogin({ ...progress, phase: 'ended' })).toEqual({ ok: false, code: 'refused', message: 'the login ended (ended)' });
  });
});
