import { describe, expect, expectTypeOf, it } from 'vitest';
import { APPLICATION_ROUTES } from '../../../src-shared/protocol/agentApi.ts';
import type { ApplicationRoute, LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import type { StatusSnapshot } from '../../../src-shared/protocol/messages.ts';
import { createAgentClient } from './agentClient.ts';
import type { AgentMethods } from './agentClient.ts';
import type { AgentResult } from './agentAnswer.ts';
import type { AgentRequest, AgentTransport, Exchange } from './exchange.ts';
import type { Timers } from './timers.ts';

const SNAPSHOT: StatusSnapshot = { node: 'root-1', generatedAt: 1, nodes: [] };
const ok = (value: unknown, status = 200): Exchange => ({ answered: true, status, contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) });
const unreachable = (stage: 'connect' | 'exchange'): Exchange => ({ answered: false, code: 'unreachable', stage, reason: 'connect ECONNREFUSED' });

/** A transport that answers from a script, one exchange per request, and records what it was sent. */
function scripted(...exchanges: Exchange[]): AgentTransport & { sent: AgentRequest[]; closed: boolean } {
  const transport = {
    sent: [] as AgentRequest[],
    closed: false,
    send: async (request: AgentRequest) => {
      transport.sent.push(request);
      const next = exchanges.shift();
      if (!next) throw new Error('the script ran out');
      return next;
    },
    close: () => {
      transport.closed = true;
    },
  };
  return transport;
}

/** Timers that fire at once and note each wait: backoff is checked without sleeping. */
function noted(): Timers & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    after(ms, fn) {
      waits.push(ms);
      queueMicrotask(fn);
      return () => undefined;
    },
  };
}

describe('the agent client', () => {
  it('has one method per application route of the table, and no other', () => {
    const client = createAgentClient(scripted());
    expect(Object.keys(client.api)).toEqual(APPLICATION_ROUTES);
    expect(Object.keys(client.withSession('s'.repeat(16)))).toEqual(APPLICATION_ROUTES);
    expectTypeOf<keyof AgentMethods>().toEqualTypeOf<ApplicationRoute>();
    expectTypeOf<ApplicationRoute>().toEqualTypeOf<
      | 'status'
      | 'login'
      | 'loginProgress'
      | 'logout'
      | 'deploy'
      | 'confirmDeploy'
      | 'enroll'
      | 'createEnrollmentToken'
      | 'listEnrollmentTokens'
      | 'revokeEnrollmentToken'
      | 'recordAudit'
      | 'readAudit'
      | 'putAdminState'
      | 'readAdminState'
    >();
    expectTypeOf<AgentMethods['status']>().toEqualTypeOf<() => Promise<AgentResult<'status'>>>();
    expectTypeOf<Extract<AgentResult<'loginProgress'>, { ok: true }>['answer']>().toEqualTypeOf<LoginProgress>();
    expectTypeOf<Extract<AgentResult<'enroll'>, { ok: true }>['answer']>().toExtend<string | { profile: string }>();
  });

  it('sends the session token only from a session client, on the routes that take it', async () => {
    const transport = scripted(ok(SNAPSHOT), ok(SNAPSHOT), ok({}));
    const client = createAgentClient(transport);
    await client.api.status();
    await client.withSession('the-session-token-1').status();
    await client.withSession('the-session-token-1').login({ user: 'administrator', password: 'p' });
    expect(transport.sent.map((r) => r.headers.authorization)).toEqual([undefined, 'Bearer the-session-token-1', undefined]);
  });

  it('gives the typed answer', async () => {
    const client = createAgentClient(scripted(ok(SNAPSHOT)));
    expect(await client.api.status()).toEqual({ ok: true, status: 200, answer: SNAPSHOT });
  });

  it('retries an idempotent route a bounded number of times, waiting longer each time, and says so', async () => {
    const timers = noted();
    const transport = scripted(unreachable('exchange'), ok({ error: 'unavailable', reason: 'busy' }, 503), unreachable('exchange'), ok(SNAPSHOT));
    const result = await createAgentClient(transport, { timers, retry: { attempts: 3, firstDelayMs: 100, maxDelayMs: 1_000 } }).api.status();
    expect(result).toEqual({ ok: false, code: 'unreachable', reason: 'connect ECONNREFUSED (after 3 attempts)' });
    expect(transport.sent).toHaveLength(3);
    expect(timers.waits).toEqual([100, 200]);
  });

  it('stops retrying once an attempt succeeds', async () => {
    const timers = noted();
    const transport = scripted(ok({ error: 'unavailable', reason: 'busy' }, 503), ok(SNAPSHOT));
    expect(await createAgentClient(transport, { timers }).api.status()).toMatchObject({ ok: true, answer: SNAPSHOT });
    expect(transport.sent).toHaveLength(2);
  });

  it('never repeats a request that is not idempotent once it may have reached the agent', async () => {
    const timers = noted();
    const transport = scripted(unreachable('exchange'));
    expect(await createAgentClient(transport, { timers }).withSession('the-session-token-1').logout()).toEqual({ ok: false, code: 'unreachable', reason: 'connect ECONNREFUSED' });
    const busy = scripted(ok({ error: 'unavailable', reason: 'root-2 has not been heard from' }, 503));
    expect(await createAgentClient(busy, { timers }).api.login({ user: 'administrator', password: 'p' })).toEqual({ ok: false, code: 'unavailable', status: 503, reason: 'root-2 has not been heard from' });
    expect([transport.sent.length, busy.sent.length, timers.waits.length]).toEqual([1, 1, 0]);
  });

  it('repeats any request that never reached the agent', async () => {
    const timers = noted();
    const transport = scripted(unreachable('connect'), ok({ loggedOut: true }));
    expect(await createAgentClient(transport, { timers }).withSession('the-session-token-1').logout()).toEqual({ ok: true, status: 200, answer: { loggedOut: true } });
    expect(transport.sent).toHaveLength(2);
  });

  it('closes its transport', () => {
    const transport = scripted();
    createAgentClient(transport).close();
    expect(transport.closed).toBe(true);
  });
});
