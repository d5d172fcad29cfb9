// Posts what the application did to the audit trail at the entry root, in order, in the session that did it.
import type { AuditNote } from '../../../src-shared/protocol/audit.ts';
import type { AgentMethods } from '../agentClient/agentClient.ts';

export type Recorded = { ok: true } | { ok: false; reason: string };

/** Posts each note in turn; stops at the first the entry root does not take, saying why. */
export async function recordAudit(entry: Pick<AgentMethods, 'recordAudit'>, notes: readonly AuditNote[]): Promise<Recorded> {
  for (const note of notes) {
    const posted = await entry.recordAudit(note);
    if (!posted.ok) return { ok: false, reason: `the audit trail did not take the ${note.kind} entry: ${posted.reason}` };
  }
  return { ok: true };
}
