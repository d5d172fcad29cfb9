// A clock and timers that move only when a test says so: polling and expiry are tested without sleeping.
import type { Timers } from '../agentClient/timers.ts';

export interface ManualClock extends Timers {
  now(): number;
  /** Moves time on by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Moves time on from timer to timer until `promise` settles; throws when nothing is left to fire. */
  settle<T>(promise: Promise<T>, maxSteps?: number): Promise<T>;
  /** The delays of the timers still to fire, from now. */
  pending(): number[];
}

/** Lets every promise chain waiting on what just happened run (they are microtasks; this is the next macrotask). */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

export function manualClock(start = 1_000_000): ManualClock {
  let now = start;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const next = () => timers.filter((t) => t.live).sort((a, b) => a.at - b.at)[0];

  const clock: ManualClock = {
    now: () => now,
    after(ms, fn) {
      const timer = { at: now + Math.max(0, ms), fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
    async advance(ms) {
      const target = now + ms;
      await drain();
      for (let timer = next(); timer && timer.at <= target; timer = next()) {
        now = timer.at;
        timer.live = false;
        timer.fn();
        await drain();
      }
      now = target;
      await drain();
    },
    async settle(promise, maxSteps = 10_000) {
      let settled = false;
      const watched = promise.finally(() => (settled = true));
      await drain();
      for (let step = 0; !settled; step++) {
        const timer = next();
        if (!timer || step >= maxSteps) throw new Error(`the promise did not settle (${timer ? `${maxSteps} timers fired` : 'no timer left'})`);
        await clock.advance(timer.at - now);
      }
      return watched;
    },
    pending: () =>
      timers
        .filter((t) => t.live)
        .map((t) => t.at - now)
        .sort((a, b) => a - b),
  };
  return clock;
}
