// What the administrator lock does by itself, as audit events: a login getting the lock or not, a session ending without
// a logout (idle, or given up to a session at a lower root id). A login and a logout are the routes' to record, with the
// address they came from.
import { auditReason } from '../../src-shared/protocol/audit.ts';
import type { RootEvent } from '../../src-shared/protocol/audit.ts';
import type { LocalLogin, LockEvent } from '../administrator/lockMachine.ts';

export interface LockAuditEvent {
  user: string;
  event: RootEvent;
}

/** The event that the lock's step from `before` to `after` (this root's own login, each time) makes, if any. */
export function lockAuditEvent(cause: LockEvent['kind'], before: LocalLogin | null, after: LocalLogin | null): LockAuditEvent | undefined {
  if (cause === 'login' || cause === 'logout' || after === null) return undefined;
  if (before?.loginId === after.loginId && before.phase === after.phase) return undefined;
  const { user } = after;
  const reason = auditReason(after.reason ?? 'no reason given');
  switch (after.phase) {
    case 'active':
      return { user, event: { kind: 'lock-held' } };
    case 'refused':
      return { user, event: { kind: 'lock-refused', reason } };
    case 'ended':
      return { user, event: { kind: 'session-ended', reason } };
    case 'waiting':
      return undefined;
  }
}
