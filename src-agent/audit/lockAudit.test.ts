import { describe, expect, it } from 'vitest';
import type { LocalLogin, LockEvent } from '../administrator/lockMachine.ts';
import { lockAuditEvent } from './lockAudit.ts';

const login = (phase: LocalLogin['phase'], fields: Partial<LocalLogin> = {}): LocalLogin => ({
  loginId: 'login-0001',
  user: 'administrator',
  phase,
  startedAt: 0,
  lastActivity: 0,
  lastSentAt: 0,
  acks: [1],
  ...fields,
});

describe('the lock changes the audit trail records', () => {
  it.each<[string, LockEvent['kind'], LocalLogin | null, LocalLogin | null, ReturnType<typeof lockAuditEvent>]>([
    ['the last acknowledgement gives the lock', 'message', login('waiting'), login('active'), { user: 'administrator', event: { kind: 'lock-held' } }],
    ['a refusal takes the login', 'message', login('waiting'), login('refused', { reason: 'root 1 has the lower id' }), { user: 'administrator', event: { kind: 'lock-refused', reason: 'root 1 has the lower id' } }],
    ['the wait times out', 'tick', login('waiting'), login('refused', { reason: 'timed out: root 3 did not acknowledge' }), { user: 'administrator', event: { kind: 'lock-refused', reason: 'timed out: root 3 did not acknowledge' } }],
    ['idle expiry ends the session', 'tick', login('active'), login('ended', { reason: 'idle for 30 minutes' }), { user: 'administrator', event: { kind: 'session-ended', reason: 'idle for 30 minutes' } }],
    ['a reason on more than one line is kept on one', 'message', login('active'), login('ended', { reason: 'lost\nto root 1' }), { user: 'administrator', event: { kind: 'session-ended', reason: 'lost to root 1' } }],
    ['a login is the route’s to record', 'login', null, login('active'), undefined],
    ['a logout is the route’s to record', 'logout', login('active'), login('ended', { reason: 'logged out' }), undefined],
    ['activity changes nothing', 'touch', login('active'), login('active', { lastActivity: 5 }), undefined],
    ['a tick while waiting changes nothing', 'tick', login('waiting'), login('waiting', { lastSentAt: 4_000 }), undefined],
    ['no login at all', 'tick', null, null, undefined],
    ['an ended login stays ended', 'tick', login('ended', { reason: 'idle' }), login('ended', { reason: 'idle' }), undefined],
  ])('%s', (_what, cause, before, after, expected) => {
    expect(lockAuditEvent(cause, before, after)).toEqual(expected);
  });
});
