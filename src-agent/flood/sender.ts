// Delivers flooded messages to neighbours asynchronously: a bounded queue per neighbour, bounded retries with backoff.
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import type { Clock, TimerHandle } from './clock.ts';

export interface SenderOptions {
  /** Delivers one message to one neighbour; rejects (or throws) when it did not get there. */
  transport: (to: string, message: FloodMessage) => Promise<void>;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** Attempts after the first before a message is given up. */
  maxRetries?: number;
  /** Wait before the first retry; doubled for each further one, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** An attempt that has not settled by then counts as failed, so a hung peer cannot hold its queue forever. */
  attemptTimeoutMs?: number;
  /** Messages waiting per neighbour; when full the oldest is dropped (and counted). */
  maxQueuePerNeighbour?: number;
  /** Whether a failure is worth another attempt (a refusal such as a 4xx is not); all are unless told otherwise. */
  retryable?: (error: unknown) => boolean;
}

export interface SenderStats {
  delivered: number;
  retried: number;
  /** Given up: every retry failed, or the failure was not retryable. */
  failed: number;
  /** Dropped from a full queue. */
  dropped: number;
  /** Waiting now, over all neighbours (the one in flight to each neighbour excluded). */
  queued: number;
}

export interface Sender {
  /** Queues `message` for `to` and returns at once. */
  send(to: string, message: FloodMessage): void;
  /** Messages waiting for `to`, the one in flight excluded. */
  queued(to: string): number;
  stats(): SenderStats;
  /** Cancels pending retries and forgets every queue; later sends are ignored. */
  close(): void;
}

interface Lane {
  waiting: FloodMessage[];
  busy: boolean;
  timer: TimerHandle | undefined;
}

/**
 * One message in flight per neighbour, so a dead or slow neighbour only ever holds its own lane: the others carry on,
 * and its lane never grows past maxQueuePerNeighbour.
 */
export function createSender(options: SenderOptions): Sender {
  const { transport, clock, maxRetries = 3, backoffMs = 250, maxBackoffMs = 5_000, attemptTimeoutMs = 10_000, maxQueuePerNeighbour = 256, retryable = () => true } = options;
  const lanes = new Map<string, Lane>();
  const stats = { delivered: 0, retried: 0, failed: 0, dropped: 0 };
  let closed = false;

  const pump = (to: string, lane: Lane) => {
    const message = lane.waiting.shift();
    if (message === undefined) {
      lane.busy = false;
      lanes.delete(to);
      return;
    }
    lane.busy = true;
    attempt(to, lane, message, 0);
  };

  const attempt = (to: string, lane: Lane, message: FloodMessage, retry: number) => {
    let settled = false;
    const finish = (ok: boolean, error?: unknown) => {
      if (settled || closed) return;
      settled = true;
      if (lane.timer !== undefined) clock.clearTimeout(lane.timer);
      lane.timer = undefined;
      if (ok) {
        stats.delivered++;
        pump(to, lane);
      } else if (retry < maxRetries && retryable(error)) {
        stats.retried++;
        const wait = Math.min(maxBackoffMs, backoffMs * 2 ** retry);
        lane.timer = clock.setTimeout(() => {
          lane.timer = undefined;
          attempt(to, lane, message, retry + 1);
        }, wait);
      } else {
        stats.failed++;
        pump(to, lane);
      }
    };
    lane.timer = clock.setTimeout(() => finish(false, new Error(`no answer from ${to} in ${attemptTimeoutMs} ms`)), attemptTimeoutMs);
    Promise.resolve()
      .then(() => transport(to, message))
      .then(
        () => finish(true),
        (error: unknown) => finish(false, error),
      );
  };

  return {
    send(to, message) {
      if (closed) return;
      let lane = lanes.get(to);
      if (lane === undefined) {
        lane = { waiting: [], busy: false, timer: undefined };
        lanes.set(to, lane);
      }
      if (lane.waiting.length >= maxQueuePerNeighbour) {
        lane.waiting.shift();
        stats.dropped++;
      }
      lane.waiting.push(message);
      if (!lane.busy) pump(to, lane);
    },
    queued: (to) => lanes.get(to)?.waiting.length ?? 0,
    stats: () => ({ ...stats, queued: [...lanes.values()].reduce((n, lane) => n + lane.waiting.length, 0) }),
    close() {
      closed = true;
      for (const lane of lanes.values()) if (lane.timer !== undefined) clock.clearTimeout(lane.timer);
      lanes.clear();
    },
  };
}
