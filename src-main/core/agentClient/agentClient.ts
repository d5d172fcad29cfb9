// The application's client of an agent, built from the API table (src-shared/protocol/agentApi.ts) as the renderer's is
// from the contract: one typed method per application route, listed by a loop over the table, not proxied.
import { agentApi, APPLICATION_ROUTES } from '../../../src-shared/protocol/agentApi.ts';
import type { ApplicationRoute, BodyIn, RouteSpec } from '../../../src-shared/protocol/agentApi.ts';
import { resultOf } from './agentAnswer.ts';
import type { AgentResult } from './agentAnswer.ts';
import { requestFor } from './agentRequest.ts';
import type { AgentTransport } from './exchange.ts';
import { backoffMs, DEFAULT_RETRY, mayRetry } from './retryPolicy.ts';
import type { RetryPolicy } from './retryPolicy.ts';
import { sleep, systemTimers } from './timers.ts';
import type { Timers } from './timers.ts';

/** A method per route: its body in (none for a route without one), its typed result out. */
export type AgentMethods = {
  [K in ApplicationRoute]: BodyIn<K> extends undefined ? () => Promise<AgentResult<K>> : (body: BodyIn<K>) => Promise<AgentResult<K>>;
};

export interface AgentClient {
  /** Requests without a session: login, a client VM's enrollment (a route that needs a session is refused by the agent). */
  api: AgentMethods;
  /** The same requests over the same connections, with the session's token on the routes that take it. */
  withSession(session: string): AgentMethods;
  close(): void;
}

export interface AgentClientOptions {
  retry?: RetryPolicy;
  /** What the waits between attempts are timed with. */
  timers?: Timers;
}

export function createAgentClient(transport: AgentTransport, options: AgentClientOptions = {}): AgentClient {
  const retry = options.retry ?? DEFAULT_RETRY;
  const timers = options.timers ?? systemTimers;

  async function call(name: ApplicationRoute, body: unknown, session: string | undefined): Promise<AgentResult<ApplicationRoute>> {
    const spec: RouteSpec = agentApi[name];
    const request = requestFor(name, body as never, session);
    for (let attempt = 1; ; attempt++) {
      const exchange = await transport.send(request);
      if (attempt >= retry.attempts || !mayRetry(spec, exchange)) {
        const result = resultOf(name, exchange);
        return result.ok || attempt === 1 ? result : { ...result, reason: `${result.reason} (after ${attempt} attempts)` };
      }
      await sleep(timers, backoffMs(retry, attempt));
    }
  }

  const methods = (session: string | undefined): AgentMethods => {
    const api = {} as Record<ApplicationRoute, (body?: unknown) => Promise<unknown>>;
    for (const name of APPLICATION_ROUTES) api[name] = (body) => call(name, body, session);
    return api as AgentMethods;
  };
  return { api: methods(undefined), withSession: methods, close: () => transport.close() };
}
