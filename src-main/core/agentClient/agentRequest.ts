// A route of the agent's API table and its body as the HTTP request the application makes: no I/O.
import { agentApi } from '../../../src-shared/protocol/agentApi.ts';
import type { ApplicationRoute, BodyIn, RouteSpec } from '../../../src-shared/protocol/agentApi.ts';
import type { AgentRequest } from './exchange.ts';

/**
 * Whether a route is sent the session token: every route a session may call, and those that find a login by its token
 * (`loginToken` in the table). Nowhere else: login and a client VM's enrollment have no use for it, so it is not
 * handed to them.
 */
export function sendsSession(name: ApplicationRoute): boolean {
  const spec: RouteSpec = agentApi[name];
  return spec.access.includes('session') || spec.loginToken === true;
}

export function requestFor<K extends ApplicationRoute>(name: K, body: BodyIn<K>, session: string | undefined): AgentRequest {
  const spec: RouteSpec = agentApi[name];
  const headers: Record<string, string> = session !== undefined && sendsSession(name) ? { authorization: `Bearer ${session}` } : {};
  if (!spec.body) return { method: spec.method, path: spec.path, headers };
  return { method: spec.method, path: spec.path, headers: { ...headers, 'content-type': 'application/json' }, payload: Buffer.from(JSON.stringify(body)) };
}
