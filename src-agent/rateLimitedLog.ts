// The agent's log bounded per kind of event: past a number of lines per window the rest are counted, not written, and
// one line says how many were left out, so that nothing a peer can make happen often fills a disk.
import type { AgentLog } from './agentLog.ts';
import type { Clock, TimerHandle } from './clock.ts';

export interface RateLimitedLogOptions {
  clock: Pick<Clock, 'now' | 'setInterval' | 'clearTimeout'>;
  /** Lines of one kind written per window; the rest of the window's are counted. */
  perWindow?: number;
  windowMs?: number;
}

export interface RateLimitedLog {
  log: AgentLog;
  /** Writes what is still counted and stops the timer. */
  close(): void;
}

/** Far above what an agent logs of one kind in normal work (a deploy writes a few lines, a reload one). */
const LINES_PER_WINDOW = 60;
const WINDOW_MS = 60_000;

export function createRateLimitedLog(log: AgentLog, options: RateLimitedLogOptions): RateLimitedLog {
  const { clock, perWindow = LINES_PER_WINDOW, windowMs = WINDOW_MS } = options;
  const kinds = new Map<string, { since: number; written: number; suppressed: number }>();

  const report = (event: string, suppressed: number, since: number) => log('log_suppressed', { event, suppressed, sinceMs: clock.now() - since });
  /** Ends a kind's window if it is over: says what it left out, and forgets the kind. */
  const endWindow = (event: string, t: number) => {
    const kind = kinds.get(event);
    if (kind === undefined || t - kind.since < windowMs) return;
    if (kind.suppressed > 0) report(event, kind.suppressed, kind.since);
    kinds.delete(event);
  };
  // A kind that goes quiet after a burst still gets its count written within a window.
  const timer: TimerHandle = clock.setInterval(() => {
    const t = clock.now();
    for (const event of [...kinds.keys()]) endWindow(event, t);
  }, windowMs);

  return {
    log(event, fields) {
      const t = clock.now();
      endWindow(event, t);
      let kind = kinds.get(event);
      if (kind === undefined) {
        kind = { since: t, written: 0, suppressed: 0 };
        kinds.set(event, kind);
      }
      if (kind.written < perWindow) {
        kind.written++;
        log(event, fields);
      } else {
        kind.suppressed++;
      }
    },
    close() {
      clock.clearTimeout(timer);
      for (const [event, kind] of kinds) if (kind.suppressed > 0) report(event, kind.suppressed, kind.since);
      kinds.clear();
    },
  };
}
