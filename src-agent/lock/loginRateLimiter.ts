// Per-source limit on failed logins: after too many in a window, a source waits until the oldest failure ages out.

export interface LoginRateLimiterOptions {
  now: () => number;
  /** Failures allowed within the window. */
  maxFailures?: number;
  windowMs?: number;
  /** Sources remembered at most; past it the least recently failing are forgotten, so memory stays bounded. */
  maxSources?: number;
}

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface LoginRateLimiter {
  check(source: string): RateVerdict;
  failed(source: string): void;
  /** A successful login clears the source's failures. */
  succeeded(source: string): void;
  readonly sources: number;
}

export function createLoginRateLimiter(options: LoginRateLimiterOptions): LoginRateLimiter {
  const { now, maxFailures = 5, windowMs = 15 * 60_000, maxSources = 10_000 } = options;
  // Recent failure times per source, oldest first; Map order is least recently failing first.
  const failures = new Map<string, number[]>();

  const recent = (source: string, t: number): number[] => {
    const times = (failures.get(source) ?? []).filter((at) => t - at < windowMs);
    if (times.length === 0) failures.delete(source);
    return times;
  };

  return {
    check(source) {
      const t = now();
      const times = recent(source, t);
      if (times.length < maxFailures) return { allowed: true };
      return { allowed: false, retryAfterMs: times[times.length - maxFailures]! + windowMs - t };
    },
    failed(source) {
      const t = now();
      const times = [...recent(source, t), t].slice(-maxFailures);
      failures.delete(source);
      failures.set(source, times);
      while (failures.size > maxSources) failures.delete(failures.keys().next().value!);
    },
    succeeded(source) {
      failures.delete(source);
    },
    get sources() {
      return failures.size;
    },
  };
}
