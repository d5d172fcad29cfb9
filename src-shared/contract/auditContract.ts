// The contract's audit call: the overlay's audit trail as the entry root keeps it for every root, read in the session.
import { z } from 'zod';
import { AuditAnswerSchema, ReadAuditRequestSchema } from '../protocol/audit.ts';

export const auditCalls = {
  /**
   * Every login (refused ones too), logout, lock change, deploy with its plan and per-node outcome, rotation and
   * revocation, with when, where, by whom and from where: entries since `since` (epoch ms), the newest `limit`, oldest
   * first. Refused (`ok: false`) without a session, or when the entry root does not answer.
   */
  'audit.read': {
    input: ReadAuditRequestSchema.partial(),
    output: z.discriminatedUnion('ok', [AuditAnswerSchema.extend({ ok: z.literal(true) }), z.object({ ok: z.literal(false), reason: z.string() })]),
  },
} as const;
