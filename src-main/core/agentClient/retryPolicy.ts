// Which failed requests the agent client makes again, and how long it waits first: only what is safe to repeat, and a
// bounded number of times.
import type { RouteSpec } from '../../../src-shared/protocol/agentApi.ts';
import type { Exchange } from './exchange.ts';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** The wait before the second attempt; it doubles before each one after, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 250, maxDelayMs: 2_000 };

/** The agent, or a proxy in front of it, could not take the request now; another try may find it back. */
const BUSY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * A request that never reached the agent may be sent again whatever it does; one that may have reached it only when
 * the table says repeating it changes nothing. An agent that is not the one we meant, and an answer we cannot take, do
 * not change by asking again.
 */
export function mayRetry(spec: RouteSpec, exchange: Exchange): boolean {
  if (exchange.answered) return spec.idempotent === true && BUSY_STATUSES.has(exchange.status);
  if (exchange.code === 'bad_answer' || exchange.stage === 'identity') return false;
  return exchange.stage === 'connect' || spec.idempotent === true;
}

/** The wait after the `failed`-th failed attempt (1 for the first). */
export function backoffMs(policy: RetryPolicy, failed: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (failed - 1));
}
