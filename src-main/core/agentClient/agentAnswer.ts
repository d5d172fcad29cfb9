// An agent's answer (status, content type, body) as the typed result the application branches on: never a throw, and
// never an answer that does not match the route's schema.
import { agentApi } from '../../../src-shared/protocol/agentApi.ts';
import type { AgentApi, AnswerOf, ApplicationRoute, RouteSpec } from '../../../src-shared/protocol/agentApi.ts';
import { isRefusalCode } from '../../../src-shared/protocol/refusals.ts';
import type { RefusalCode } from '../../../src-shared/protocol/refusals.ts';
import { describe, formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import type { Exchange } from './exchange.ts';

/** The agent's refusal, or `unreachable`, `timeout` (ours) and `bad_answer` (an answer that is not the route's). */
export type FailureCode = RefusalCode | 'unreachable' | 'timeout' | 'bad_answer';

export interface AgentFailure {
  ok: false;
  code: FailureCode;
  /** The HTTP status, when the agent (or something in its place) answered. */
  status?: number;
  reason: string;
}

/** A route's answer: what its schema gives, or the text a route with `text` answers when asked for it. */
export type AgentAnswer<K extends ApplicationRoute> = AnswerOf<K> | (AgentApi[K] extends { text: string } ? string : never);

export type AgentResult<K extends ApplicationRoute> = { ok: true; status: number; answer: AgentAnswer<K> } | AgentFailure;

export function resultOf<K extends ApplicationRoute>(name: K, exchange: Exchange): AgentResult<K> {
  if (!exchange.answered) return { ok: false, code: exchange.code, reason: exchange.reason };
  const spec: RouteSpec = agentApi[name];
  const { status, body } = exchange;
  const mediaType = exchange.contentType.split(';')[0]!.trim().toLowerCase();
  const success = status >= 200 && status < 300;
  if (success && spec.text !== undefined && mediaType === spec.text) return { ok: true, status, answer: body.toString('utf8') as AgentAnswer<K> };
  if (mediaType !== 'application/json') return badAnswer(status, `HTTP ${status} with ${mediaType || 'no content type'}, not an answer of the agent: found ${describe(body.toString('utf8'))}`);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return badAnswer(status, `HTTP ${status}, declared JSON but is not: ${(error as Error).message}`);
  }
  if (!success) return refusal(status, json);
  const parsed = spec.answer!.safeParse(json, { reportInput: true });
  if (!parsed.success) return badAnswer(status, `the answer does not match the API: ${zodProblems(parsed.error, 'answer').map(formatProblem).join('; ')}`);
  return { ok: true, status, answer: parsed.data as AgentAnswer<K> };
}

/** The agent refuses with `{error: code, reason}`; anything else in an error answer is not the agent speaking its API. */
function refusal(status: number, json: unknown): AgentFailure {
  const { error, reason } = typeof json === 'object' && json !== null ? (json as { error?: unknown; reason?: unknown }) : {};
  if (isRefusalCode(error) && typeof reason === 'string') return { ok: false, code: error, status, reason };
  if (typeof reason === 'string') return badAnswer(status, `HTTP ${status} (${String(error)}): ${reason}`);
  return badAnswer(status, `HTTP ${status} without a refusal: found ${describe(json)}`);
}

function badAnswer(status: number, reason: string): AgentFailure {
  return { ok: false, code: 'bad_answer', status, reason };
}
