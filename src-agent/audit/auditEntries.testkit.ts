// Audit entries for the audit trail's tests: one of each kind a root records, with the fields a test cares about.
import type { AuditEntry, AuditEvent } from '../../src-shared/protocol/audit.ts';

let next = 0;

/** An entry recorded at `root` at `at`, with an id of its own unless given. */
export function entry(at: number, event: AuditEvent = { kind: 'logout' }, fields: Partial<AuditEntry> = {}): AuditEntry {
  next++;
  return { id: `entry-${String(next).padStart(10, '0')}`, at, root: 1, user: 'administrator', address: '127.0.0.1', event, ...fields };
}

export const REFUSED: AuditEvent = { kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused: 0 };
