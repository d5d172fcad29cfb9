import { describe, expect, it } from 'vitest';
import { AUDIT_ENTRY_MAX_BYTES, AUDIT_PAGE, AuditEntrySchema, AuditNoteSchema, auditReason, auditUser } from './audit.ts';
import type { AuditEntry } from './audit.ts';

describe('text made fit for an entry', () => {
  it.each([
    ['administrator', 'administrator'],
    ['', '?'],
    ['a\nb\u0000c\u007fd', 'a?b?c?d'],
    ['evil\u202etxt.exe', 'evil?txt.exe'],
    ['lone \ud800 surrogate', 'lone ? surrogate'],
    ['x'.repeat(100), 'x'.repeat(64)],
    // 63 units and a pair that would make 65: the pair is left out whole.
    [`${'x'.repeat(63)}😀`, 'x'.repeat(63)],
    ['é'.repeat(70), 'é'.repeat(64)],
  ])('a user name %j is kept as %j', (typed, kept) => {
    expect(auditUser(typed)).toBe(kept);
    expect(AuditEntrySchema.shape.user.safeParse(kept).success).toBe(true);
  });

  it.each([
    ['failed: exit 1\nstderr: no route', 'failed: exit 1 stderr: no route'],
    ['', '-'],
    ['y'.repeat(700), 'y'.repeat(600)],
  ])('a reason %j is kept as %j', (given, kept) => {
    expect(auditReason(given)).toBe(kept);
  });
});

const name = (i: number) => `leaf-${2_147_483_000 + i}-${100_000 + i}`;
const nodes = (n: number) => Array.from({ length: n }, (_, i) => name(i));
const part = { index: 1, of: 1 };
const widest = (event: AuditEntry['event']): AuditEntry => ({ id: 'A'.repeat(16), at: 1_700_000_000_000, root: 2_147_483_647, user: '😀'.repeat(32), address: 'f'.repeat(64), event });
const topologyId = 'x'.repeat(64);

describe('an entry', () => {
  it.each([
    [
      'a plan page',
      {
        kind: 'deploy-plan',
        topologyId,
        counts: { added: 1, changed: 1, unchanged: 1, removed: 1, keys: 1 },
        added: nodes(AUDIT_PAGE.names),
        removed: nodes(AUDIT_PAGE.names),
        changed: nodes(AUDIT_PAGE.details).map((node) => ({ node, files: Array.from({ length: 16 }, () => 'f'.repeat(64)) })),
        keys: Array.from({ length: AUDIT_PAGE.lines }, () => 'k'.repeat(120)),
        removedTunnels: Array.from({ length: AUDIT_PAGE.lines }, () => 'tunnel-999999-999999'),
        part,
      },
    ],
    [
      'an outcome page',
      {
        kind: 'deploy-outcome',
        topologyId,
        result: 'followed',
        counts: { applied: 1, failed: 1, unreachable: 1 },
        confirmed: false,
        reason: '😀'.repeat(300),
        applied: nodes(AUDIT_PAGE.names),
        problems: nodes(AUDIT_PAGE.details).map((node) => ({ node, outcome: 'failed', reason: '😀'.repeat(300) })),
        part,
      },
    ],
  ] as const)('at its widest (%s) stays within what one flooded message carries', (_what, event) => {
    const parsed = AuditEntrySchema.parse(widest(event as AuditEntry['event']));
    const bytes = Buffer.byteLength(JSON.stringify(parsed));
    expect(bytes).toBeGreaterThan(AUDIT_ENTRY_MAX_BYTES / 8);
    expect(bytes).toBeLessThanOrEqual(AUDIT_ENTRY_MAX_BYTES);
  });

  it.each([
    ['a root’s own event', { kind: 'login', lock: 'held' }],
    ['a refused login', { kind: 'login-refused', refusal: 'unauthenticated', reason: 'wrong', alsoRefused: 0 }],
    ['a rotation of something not a tunnel', { kind: 'psk-rotated', tunnel: 'root-1', alreadyMarked: false }],
    ['a reason on two lines', { kind: 'deploy-outcome', topologyId: 't', result: 'not-posted', counts: { applied: 0, failed: 0, unreachable: 0 }, confirmed: false, reason: 'a\nb', applied: [], problems: [], part }],
    ['a part past its count', { kind: 'deploy-outcome', topologyId: 't', result: 'followed', counts: { applied: 0, failed: 0, unreachable: 0 }, confirmed: true, applied: [], problems: [], part: { index: 2, of: 1 } }],
  ])('is not something the application may post: %s', (_what, note) => {
    expect(AuditNoteSchema.safeParse(note).success).toBe(false);
  });
});
