import { describe, expect, it } from 'vitest';
import type { AuditNote } from '../../../src-shared/protocol/audit.ts';
import { answered, fakeAgent, refused } from '../session/fakeAgent.testkit.ts';
import { recordAudit } from './recordAudit.ts';

const rotation: AuditNote = { kind: 'psk-rotated', tunnel: 'tunnel-1-2', alreadyMarked: false };
const revocation: AuditNote = { kind: 'certificate-revoked', subject: 'leaf-2-1', rootId: 2, revoked: 2 };

describe('recording in the audit trail', () => {
  it('posts each note in order', async () => {
    const agent = fakeAgent({ recordAudit: () => answered<'recordAudit'>({ id: 'AAAAAAAAAAAAAAAA' }) });
    expect(await recordAudit(agent.api, [rotation, revocation])).toEqual({ ok: true });
    expect(agent.calls.map((c) => c.body)).toEqual([rotation, revocation]);
  });

  it('stops at the first note the entry root does not take, saying why', async () => {
    const agent = fakeAgent({ recordAudit: () => refused('unauthenticated', 'the session token is not a live session at this node', 401) });
    expect(await recordAudit(agent.api, [rotation, revocation])).toEqual({ ok: false, reason: 'the audit trail did not take the psk-rotated entry: the session token is not a live session at this node' });
    expect(agent.calls).toHaveLength(1);
  });
});
