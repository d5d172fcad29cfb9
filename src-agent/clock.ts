// The clock and timers the agent's logic is given (flooding, heartbeats, deploy deadlines): the system's in production,
// a manual one in tests and simulations.

export type TimerHandle = { readonly timer: unknown };

export interface Clock {
  /** Milliseconds since the epoch: deadlines are stored in it, so they mean the same after a restart. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Calls `fn` every `ms` until cleared (with clearTimeout), the first time `ms` from now. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Resolves after `ms`; never keeps a finished process alive. */
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time and real timers; timers are unref'd so pending retries and deadlines never keep a finished process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return { timer };
  },
  clearTimeout(handle) {
    clearTimeout(handle.timer as ReturnType<typeof setTimeout>);
  },
  setInterval(fn, ms) {
    const timer = setInterval(fn, Math.max(1, ms));
    timer.unref();
    return { timer };
  },
  sleep(ms) {
    return new Promise((resolve) => systemClock.setTimeout(resolve, ms));
  },
};

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due, in order, at its own time. */
  advance(ms: number): void;
  /** As advance, but lets promise callbacks run before and after each timer, so async chains (retries) make progress. */
  advanceAsync(ms: number): Promise<void>;
  /** Timers scheduled and not yet fired or cleared. */
  pending(): number;
}

interface Scheduled {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
  fired: boolean;
}

/** Lets every queued promise callback run (a macrotask boundary), without letting any time pass. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock that moves only when told: deterministic tests and simulated hours without sleeping. */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  let order = 0;
  let live = 0;
  const heap: Scheduled[] = [];

  const fireNext = (until: number): boolean => {
    while (heap.length > 0 && heap[0]!.cancelled) pop(heap);
    const next = heap[0];
    if (next === undefined || next.at > until) return false;
    pop(heap);
    live--;
    next.fired = true;
    now = Math.max(now, next.at);
    next.fn();
    return true;
  };

  const schedule = (fn: () => void, ms: number): Scheduled => {
    const entry: Scheduled = { at: now + Math.max(0, ms), order: order++, fn, cancelled: false, fired: false };
    push(heap, entry);
    live++;
    return entry;
  };

  const clock: ManualClock = {
    now: () => now,
    setTimeout: (fn, ms) => ({ timer: schedule(fn, ms) }),
    clearTimeout(handle) {
      const entry = handle.timer as Scheduled;
      if (!entry.cancelled && !entry.fired) live--;
      entry.cancelled = true;
    },
    setInterval(fn, ms) {
      const period = Math.max(1, ms);
      // One entry stands for the interval: it reschedules itself each time it fires, until cleared.
      const entry = schedule(() => {
        entry.fired = false;
        entry.at += period;
        entry.order = order++;
        push(heap, entry);
        live++;
        fn();
      }, period);
      return { timer: entry };
    },
    sleep: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
    advance(ms) {
      const until = now + ms;
      while (fireNext(until));
      now = until;
    },
    async advanceAsync(ms) {
      const until = now + ms;
      await settle();
      while (fireNext(until)) await settle();
      now = until;
      await settle();
    },
    pending: () => live,
  };
  return clock;
}

// A binary min-heap on (at, order): equal times fire in the order they were scheduled.
const before = (a: Scheduled, b: Scheduled) => a.at < b.at || (a.at === b.at && a.order < b.order);

function push(heap: Scheduled[], entry: Scheduled): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop(heap: Scheduled[]): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let smallest = i;
    if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
    if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
    if (smallest === i) return;
    [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
    i = smallest;
  }
}
