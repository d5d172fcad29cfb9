// Wall-clock time and one-shot timers, injected so the deploy engine's deadlines are tested without waiting.

export interface Clock {
  /** Milliseconds since the epoch: deadlines are stored in it, so they mean the same after a restart. */
  now(): number;
  /** Calls `fn` once after `ms`; the returned function cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    // A pending deadline alone must not keep the process alive (tests, shutdown).
    timer.unref();
    return () => clearTimeout(timer);
  },
};
