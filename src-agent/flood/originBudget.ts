// How many messages one origin may inject: a token bucket per origin, so that no node (compromised, or only chatty)
// takes more than its share of its neighbours' links and CPU.

export interface OriginBudgetOptions {
  now: () => number;
  /** Messages an origin may send at once. */
  burst?: number;
  /** Messages per second an origin earns back, up to `burst`. */
  perSecond?: number;
  /** Origins tracked at most; past it, those with a full bucket are forgotten (they would start full anyway). */
  maxOrigins?: number;
}

export interface OriginBudget {
  /** Takes one message's worth from `origin`'s bucket; false when it is empty. */
  take(origin: string): boolean;
}

/**
 * What a legitimate origin sends is far below the defaults: a heartbeat per interval (1 s at the fastest), a lock
 * message per login and resend (every 4 s), a deploy and its confirmation now and then. The burst covers a queue a
 * neighbour kept for it while a link was down (see sender.ts: 64 per origin) arriving at once.
 */
export const ORIGIN_BURST = 100;
export const ORIGIN_PER_SECOND = 20;
const MAX_ORIGINS = 10_000;

export function createOriginBudget(options: OriginBudgetOptions): OriginBudget {
  const { now, burst = ORIGIN_BURST, perSecond = ORIGIN_PER_SECOND, maxOrigins = MAX_ORIGINS } = options;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const level = (bucket: { tokens: number; at: number }, t: number) => Math.min(burst, bucket.tokens + ((t - bucket.at) * perSecond) / 1000);

  const forgetFull = (t: number) => {
    for (const [origin, bucket] of buckets) if (level(bucket, t) >= burst) buckets.delete(origin);
  };

  return {
    take(origin) {
      const t = now();
      const bucket = buckets.get(origin);
      const tokens = bucket === undefined ? burst : level(bucket, t);
      if (tokens < 1) return false;
      if (bucket === undefined && buckets.size >= maxOrigins) forgetFull(t);
      buckets.set(origin, { tokens: tokens - 1, at: t });
      return true;
    },
  };
}
