// The contract's audit call on the application's session: the entry root's audit trail, read with the session's token.
import type { CallOutput } from '../../../src-shared/contract/contract.ts';
import type { CorePart } from '../endpoint/serve.ts';
import type { Session } from '../session/session.ts';

export function auditCore(currentSession: () => Session | undefined): CorePart<'audit.read'> {
  return {
    handlers: {
      async 'audit.read'(query): Promise<CallOutput<'audit.read'>> {
        const session = currentSession();
        if (session === undefined) return { ok: false, reason: 'log in to read the audit trail: the entry root answers it to a session only' };
        const read = await session.api.readAudit(query);
        return read.ok ? { ok: true, ...read.answer } : { ok: false, reason: `${session.entry} did not give its audit trail: ${read.reason}` };
      },
    },
    subscribe: () => () => {},
  };
}
