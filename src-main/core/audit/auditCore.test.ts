import { describe, expect, it } from 'vitest';
import type { AuditAnswer } from '../../../src-shared/protocol/audit.ts';
import type { Session } from '../session/session.ts';
import { answered, fakeAgent, refused } from '../session/fakeAgent.testkit.ts';
import type { FakeHandlers } from '../session/fakeAgent.testkit.ts';
import { auditCore } from './auditCore.ts';

const TRAIL: AuditAnswer = {
  node: 'root-1',
  entries: [{ id: 'AAAAAAAAAAAAAAAA', at: 5, root: 1, user: 'administrator', address: '127.0.0.1', event: { kind: 'logout' } }],
  omitted: 3,
};

const sessionWith = (handlers: FakeHandlers) => {
  const agent = fakeAgent(handlers);
  return { agent, session: { entry: 'root-1', api: agent.withSession('token-0123456789abcdef') } as Session };
};

describe('the audit call', () => {
  it('reads the entry root’s trail in the session, with the query given', async () => {
    const { agent, session } = sessionWith({ readAudit: () => answered<'readAudit'>(TRAIL) });
    expect(await auditCore(() => session).handlers['audit.read']({ since: 4, limit: 1 })).toEqual({ ok: true, ...TRAIL });
    expect(agent.calls).toEqual([{ route: 'readAudit', session: 'token-0123456789abcdef', body: { since: 4, limit: 1 } }]);
  });

  it('says to log in first when there is no session', async () => {
    expect(await auditCore(() => undefined).handlers['audit.read']({})).toEqual({ ok: false, reason: expect.stringMatching(/^log in to read the audit trail/) });
  });

  it('says why the entry root did not answer', async () => {
    const { session } = sessionWith({ readAudit: () => refused('unreachable', 'connect ECONNREFUSED') });
    expect(await auditCore(() => session).handlers['audit.read']({})).toEqual({ ok: false, reason: 'root-1 did not give its audit trail: connect ECONNREFUSED' });
  });
});
