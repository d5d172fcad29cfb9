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

/** How a login attempt ended: `excused` is neither (a refusal after the password was right, such as a weak new one). */
export type AttemptOutcome = 'failed' | 'succeeded' | 'excused';

export type AttemptVerdict = { allowed: true; settle(outcome: AttemptOutcome): void } | { allowed: false; retryAfterMs: number };

export interface LoginRateLimiter {
  check(source: string): RateVerdict;
  failed(source: string): void;
  /** A successful login clears the source's failures. */
  succeeded(source: string): void;
  /**
   * Checks and counts an attempt as failed at once, before any slow check: attempts in flight together then cannot
   * outnumber the limit. Settling it `succeeded` clears the source's failures, `excused` takes this one back.
   */
  attempt(source: string): AttemptVerdict;
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

  const check = (source: string): RateVerdict => {
    const t = now();
    const times = recent(source, t);
    if (times.length < maxFailures) return { allowed: true };
    return { allowed: false, retryAfterMs: times[times.length - maxFailures]! + windowMs - t };
  };
  /** Records a failure now and returns its time. */
  const failed = (source: string): number => {
    const t = now();
    const times = [...recent(source, t), t].slice(-maxFailures);
    failures.delete(source);
    failures.set(source, times);
    while (failures.size > maxSources) failures.delete(failures.keys().next().value!);
    return t;
  };
  const succeeded = (source: string) => failures.delete(source);

  return {
    check,
    failed(source) {
      failed(source);
    },
    succeeded(source) {
      succeeded(source);
    },
    attempt(source) {
      const verdict = check(source);
      if (!verdict.allowed) return verdict;
      const at = failed(source);
      let settled = false;
      return {
        allowed: true,
        settle(outcome) {
          if (settled) return;
          settled = true;
          if (outcome === 'succeeded') succeeded(source);
          if (outcome !== 'excused') return;
          const times = failures.get(source);
          const index = times?.indexOf(at) ?? -1;
          if (index >= 0) times!.splice(index, 1);
          if (times?.length === 0) failures.delete(source);
        },
      };
    },
    get sources() {
      return failures.size;
    },
  };
}
