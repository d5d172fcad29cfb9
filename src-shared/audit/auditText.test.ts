import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditEvent } from '../protocol/audit.ts';
import { auditRow, describeAuditEvent } from './auditText.ts';

const part = { index: 1, of: 1 };

describe('an audit entry in words', () => {
  it('gives when, where, who, from where and what', () => {
    const entry: AuditEntry = { id: 'AAAAAAAAAAAAAAAA', at: Date.parse('2026-12-08T10:00:00Z'), root: 3, user: 'administrator', address: '127.0.0.1', event: { kind: 'logout' } };
    expect(auditRow(entry)).toEqual(['2026-12-08T10:00:00.000Z', 'root-3', 'administrator', '127.0.0.1', 'logged out']);
    expect(auditRow({ ...entry, user: undefined, address: undefined, event: { kind: 'lock-held' } }).slice(2, 4)).toEqual(['-', '-']);
  });

  it.each<[AuditEvent, string]>([
    [{ kind: 'login', lock: 'held' }, 'logged in; holds the administrator lock'],
    [{ kind: 'login', lock: 'waiting' }, 'logged in; the administrator lock asked of every live root'],
    [{ kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused: 0 }, 'login refused (unauthenticated): wrong user name or password'],
    [{ kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong user name or password', alsoRefused: 12 }, 'login refused (unauthenticated): wrong user name or password; before it, 12 refused logins from there not recorded'],
    [{ kind: 'lock-held' }, 'holds the administrator lock: every live root acknowledged'],
    [{ kind: 'lock-refused', reason: 'root 1 has the lower id' }, 'did not get the administrator lock: root 1 has the lower id'],
    [{ kind: 'session-ended', reason: 'idle for 30 minutes' }, 'session ended: idle for 30 minutes'],
    [{ kind: 'deploy-posted', topologyId: 't1', digest: `sha256:${'a'.repeat(64)}`, nodes: 6 }, 'deploy of topology t1 posted, for 6 nodes'],
    [{ kind: 'deploy-confirmed', topologyId: 't1' }, 'deploy of topology t1 confirmed'],
    [
      { kind: 'deploy-plan', topologyId: 't1', counts: { added: 1, changed: 1, unchanged: 4, removed: 0, keys: 1 }, added: ['root-3'], removed: [], changed: [{ node: 'root-1', files: ['swanctl.conf'] }], keys: ['tunnel-1-3: pre-shared key'], removedTunnels: [], part },
      'deploy plan of topology t1: 1 added, 1 changed, 4 unchanged, 0 removed, 1 key to make; +root-3, ~root-1 (swanctl.conf); keys: tunnel-1-3: pre-shared key',
    ],
    [
      { kind: 'deploy-outcome', topologyId: 't1', result: 'followed', counts: { applied: 1, failed: 1, unreachable: 0 }, confirmed: true, applied: ['root-1'], problems: [{ node: 'root-2', outcome: 'failed', reason: 'exit 1' }], part: { index: 2, of: 2 } },
      'deploy outcome of topology t1 (part 2 of 2): 1 applied, 1 failed, 0 unreachable; confirmed; applied: root-1; root-2 failed: exit 1',
    ],
    [
      { kind: 'deploy-outcome', topologyId: 't1', result: 'not-posted', counts: { applied: 0, failed: 0, unreachable: 0 }, confirmed: false, reason: 'conflict', applied: [], problems: [], part },
      'deploy outcome of topology t1: not posted: conflict',
    ],
    [{ kind: 'psk-rotated', tunnel: 'tunnel-1-2', alreadyMarked: false }, 'tunnel-1-2: pre-shared key marked for rotation at the next deploy'],
    [{ kind: 'certificate-revoked', subject: 'leaf-2-1', rootId: 2, revoked: 2 }, "leaf-2-1: 2 certificates revoked by root-2's CA, carried by the next deploy"],
  ])('%j reads %j', (event, text) => {
    expect(describeAuditEvent(event)).toBe(text);
  });
});
