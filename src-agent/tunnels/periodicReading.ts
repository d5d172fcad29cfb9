// Keeps the last reading of something slow to measure (a daemon's state) and refreshes it on its own timer, so that
// whoever needs it (the heartbeat) takes the last value at once instead of waiting on a command.
import type { Clock, TimerHandle } from '../clock.ts';

export interface PeriodicReadingOptions<T> {
  /** One reading; its commands bound their own time (the runner's timeout). */
  read: () => Promise<T>;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** From the end of one reading to the start of the next. */
  intervalMs: number;
  /** Whether two readings say the same; onChange is told only of a reading that differs from the last. */
  same: (a: T, b: T) => boolean;
  onChange?: (reading: T) => void;
  /** A reading that failed: the last good one stays, and the next is still scheduled. */
  onError?: (error: unknown) => void;
}

export interface PeriodicReading<T> {
  /** Reads now and then every interval. */
  start(): void;
  stop(): void;
  /** The last good reading; undefined before the first. */
  latest(): T | undefined;
  /** Reads now (also while stopped); resolves once the reading is taken in. */
  refresh(): Promise<void>;
}

export function createPeriodicReading<T>(options: PeriodicReadingOptions<T>): PeriodicReading<T> {
  const { read, clock, intervalMs, same, onChange, onError } = options;
  let last: T | undefined;
  let timer: TimerHandle | undefined;
  let running = false;

  const refresh = async () => {
    try {
      const reading = await read();
      const changed = last === undefined || !same(last, reading);
      last = reading;
      if (changed) onChange?.(reading);
    } catch (error) {
      onError?.(error);
    }
  };

  const loop = async () => {
    await refresh();
    if (running) timer = clock.setTimeout(() => void loop(), intervalMs);
  };

  return {
    start() {
      if (running) return;
      running = true;
      void loop();
    },
    stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    latest: () => last,
    refresh,
  };
}
