// An agent client that answers from handlers the test gives, per route, and notes every call with its session token.
import { APPLICATION_ROUTES } from '../../../src-shared/protocol/agentApi.ts';
import type { ApplicationRoute, AnswerOf } from '../../../src-shared/protocol/agentApi.ts';
import type { AgentClient, AgentMethods } from '../agentClient/agentClient.ts';
import type { AgentFailure, AgentResult } from '../agentClient/agentAnswer.ts';

export type FakeHandlers = { [K in ApplicationRoute]?: (body: unknown, session: string | undefined) => AgentResult<K> | Promise<AgentResult<K>> };

export interface FakeAgent extends AgentClient {
  calls: { route: ApplicationRoute; session?: string; body?: unknown }[];
  closed: boolean;
}

export const answered = <K extends ApplicationRoute>(answer: AnswerOf<K>): AgentResult<K> => ({ ok: true, status: 200, answer });
export const refused = (code: AgentFailure['code'], reason: string, status?: number): AgentFailure => ({ ok: false, code, reason, ...(status === undefined ? {} : { status }) });

export function fakeAgent(handlers: FakeHandlers): FakeAgent {
  const methods = (session: string | undefined): AgentMethods => {
    const api = {} as Record<ApplicationRoute, (body?: unknown) => Promise<unknown>>;
    for (const route of APPLICATION_ROUTES) {
      api[route] = async (body) => {
        fake.calls.push({ route, ...(session === undefined ? {} : { session }), ...(body === undefined ? {} : { body }) });
        const handler = handlers[route] as ((body: unknown, session: string | undefined) => unknown) | undefined;
        if (!handler) throw new Error(`the fake agent was not told how to answer ${route}`);
        return handler(body, session);
      };
    }
    return api as AgentMethods;
  };
  const fake: FakeAgent = {
    calls: [],
    closed: false,
    api: methods(undefined),
    withSession: methods,
    close: () => {
      fake.closed = true;
    },
  };
  return fake;
}
