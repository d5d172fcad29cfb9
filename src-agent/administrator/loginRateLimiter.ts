// Per-source limit on failed logins: a few consecutive failures pass, then each further one locks the source for
// longer (1 s, 2 s, 4 s …) up to a cap, so a few typos cost seconds while a guesser soon waits the cap between guesses.

export interface LoginRateLimiterOptions {
  now: () => number;
  /** Consecutive failures let through before the lockout starts. */
  maxFailures?: number;
  /** The lockout after the first failure past `maxFailures`; it doubles with each further one. */
  firstLockoutMs?: number;
  /** The longest lockout. */
  maxLockoutMs?: number;
  /**
   * The longest lockout at a source that logged in successfully before: at a shared address (a NAT) the administrator
   * cannot be told apart from a guesser there, so the cap there is short and the right password gets its turn soon.
   */
  knownMaxLockoutMs?: number;
  /** A source's failures are forgotten after this long without one; longer than the caps, so waiting out a lockout does not wipe them. */
  forgetAfterMs?: number;
  /** Sources remembered at most; past it the least recently failing are forgotten, so memory stays bounded. */
  maxSources?: number;
}

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** How a login attempt ended: `excused` is neither (a refusal after the password was right, such as a weak new one). */
export type AttemptOutcome = 'failed' | 'succeeded' | 'excused';

export type AttemptVerdict = { allowed: true; settle(outcome: AttemptOutcome): void } | { allowed: false; retryAfterMs: number };

export interface LoginRateLimiter {
  /** `known`: the source logged in successfully before (its lockout is capped at `knownMaxLockoutMs`). */
  check(source: string, known?: boolean): RateVerdict;
  failed(source: string): void;
  /** A successful login clears the source's failures. */
  succeeded(source: string): void;
  /**
   * Checks and counts an attempt as failed at once, before any slow check: attempts in flight together then cannot
   * outnumber the limit. Settling it `succeeded` clears the source's failures, `excused` takes this one back.
   */
  attempt(source: string, known?: boolean): AttemptVerdict;
  readonly sources: number;
}

const LOGIN_RATE_DEFAULTS = {
  maxFailures: 5,
  firstLockoutMs: 1_000,
  maxLockoutMs: 15 * 60_000,
  knownMaxLockoutMs: 60_000,
  forgetAfterMs: 60 * 60_000,
  maxSources: 10_000,
} as const;

/** A source's consecutive failures and when the last was. */
interface Failures {
  count: number;
  lastAt: number;
}

export function createLoginRateLimiter(options: LoginRateLimiterOptions): LoginRateLimiter {
  const { now, maxFailures, firstLockoutMs, maxLockoutMs, knownMaxLockoutMs, forgetAfterMs, maxSources } = { ...LOGIN_RATE_DEFAULTS, ...options };
  // Map order is least recently failing first.
  const failures = new Map<string, Failures>();

  const lockoutMs = (count: number, known: boolean): number => {
    if (count < maxFailures) return 0;
    // Capped before doubling too far: 2 ** 1024 is Infinity, and the cap is reached long before.
    return Math.min(firstLockoutMs * 2 ** Math.min(count - maxFailures, 40), known ? knownMaxLockoutMs : maxLockoutMs);
  };

  const recordOf = (source: string, t: number): Failures | undefined => {
    const record = failures.get(source);
    if (record !== undefined && t - record.lastAt >= forgetAfterMs) failures.delete(source);
    return failures.get(source);
  };

  const check = (source: string, known = false): RateVerdict => {
    const t = now();
    const record = recordOf(source, t);
    if (record === undefined) return { allowed: true };
    const until = record.lastAt + lockoutMs(record.count, known);
    return t >= until ? { allowed: true } : { allowed: false, retryAfterMs: until - t };
  };
  /** Counts a failure now and returns the source's record: the same object for one run of consecutive failures. */
  const failed = (source: string): Failures => {
    const t = now();
    const record = recordOf(source, t) ?? { count: 0, lastAt: t };
    record.count++;
    record.lastAt = t;
    failures.delete(source);
    failures.set(source, record);
    while (failures.size > maxSources) failures.delete(failures.keys().next().value!);
    return record;
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
    attempt(source, known = false) {
      const verdict = check(source, known);
      if (!verdict.allowed) return verdict;
      const record = failed(source);
      let settled = false;
      return {
        allowed: true,
        settle(outcome) {
          if (settled) return;
          settled = true;
          if (outcome === 'succeeded') succeeded(source);
          // Taken back only from the record it was counted in: a success or forgetting since started a new one.
          if (outcome === 'excused' && failures.get(source) === record) {
            record.count--;
            if (record.count === 0) failures.delete(source);
          }
        },
      };
    },
    get sources() {
      return failures.size;
    },
  };
}
