// The overall budget of password checks at this root, over every source: so many a minute (token buckets on the
// injected clock), so guessers rotating addresses cannot outrun it, with a share only sources that logged in before draw on.

export interface CheckBudgetOptions {
  now: () => number;
  /** Checks a minute for anyone, and as many at once (a bucket holds a minute's worth). */
  perMinute?: number;
  /** Checks a minute more for sources that logged in before only: what guessers from elsewhere cannot take from the administrator. */
  reservedPerMinute?: number;
}

/** `giveBack`: a check that found the right password was no guess, and costs nothing (logins at short intervals stay free). */
export type BudgetVerdict = { allowed: true; giveBack(): void } | { allowed: false; retryAfterMs: number };

export interface CheckBudget {
  /** Takes one check from the budget, or says when the next is due. `known`: the source logged in successfully before. */
  take(known: boolean): BudgetVerdict;
}

/** A check takes ~0.1 s of one thread: 15 a minute in all is nothing to the agent, and 10 a minute is 14,400 guesses a day. */
export const CHECK_BUDGET_DEFAULTS = { perMinute: 10, reservedPerMinute: 5 } as const;

export function createCheckBudget(options: CheckBudgetOptions): CheckBudget {
  const { now, perMinute, reservedPerMinute } = { ...CHECK_BUDGET_DEFAULTS, ...options };
  const general = tokenBucket(perMinute, now);
  const reserved = tokenBucket(reservedPerMinute, now);
  return {
    take(known) {
      // The known take the general share first, keeping the reserved one for when guessers have used that up.
      const from = general.take() ? general : known && reserved.take() ? reserved : undefined;
      if (!from) return { allowed: false, retryAfterMs: known ? Math.min(general.waitMs(), reserved.waitMs()) : general.waitMs() };
      let given = false;
      return {
        allowed: true,
        giveBack() {
          if (!given) from.giveBack();
          given = true;
        },
      };
    },
  };
}

/** Holds up to `perMinute` tokens, refilled evenly over the minute; full at the start. */
function tokenBucket(perMinute: number, now: () => number) {
  let tokens = perMinute;
  let at = now();
  const refill = () => {
    const t = now();
    tokens = Math.min(perMinute, tokens + (Math.max(0, t - at) * perMinute) / 60_000);
    at = t;
  };
  return {
    take(): boolean {
      refill();
      if (tokens < 1) return false;
      tokens--;
      return true;
    },
    giveBack(): void {
      refill();
      tokens = Math.min(perMinute, tokens + 1);
    },
    waitMs(): number {
      refill();
      if (tokens >= 1) return 0;
      return perMinute === 0 ? Infinity : Math.ceil(((1 - tokens) * 60_000) / perMinute);
    },
  };
}
