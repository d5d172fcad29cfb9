// The timers the agent client waits with (deadlines, backoff): the system's in production, hand-driven ones in tests.
// Not the agent's Clock (src-agent/clock.ts): the application may not import the agent, and it needs one call only.

export interface Timers {
  /** Calls `fn` after `ms`, unless the returned function is called first. */
  after(ms: number, fn: () => void): () => void;
}

/** Real timers, unref'd: a pending deadline or backoff never keeps a finished process alive. */
export const systemTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * Real timers that keep the process alive: for waits a command line awaits (a poll, a backoff), where an unref'd timer
 * alone would let Node end the process in the middle of the command.
 */
export const awaitedTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

export function sleep(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.after(ms, resolve));
}
