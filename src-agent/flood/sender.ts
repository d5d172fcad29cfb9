// Delivers flooded messages to neighbours asynchronously: a bounded queue per neighbour, bounded retries with backoff.
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import type { Clock, TimerHandle } from '../clock.ts';

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
  /** Messages handed to the transport at once per neighbour, before the next waits for one of them to settle. */
  maxInFlightPerNeighbour?: number;
  /** Messages waiting per neighbour beyond those in flight; when full the oldest is dropped (and counted). */
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
  /** Waiting now, over all neighbours (those in flight excluded). */
  queued: number;
}

export interface Sender {
  /** Queues `message` for `to` and returns at once. */
  send(to: string, message: FloodMessage): void;
  /** Messages waiting for `to`, those in flight excluded. */
  queued(to: string): number;
  stats(): SenderStats;
  /** Cancels pending retries and forgets every queue; later sends are ignored. */
  close(): void;
}

interface Lane {
  waiting: FloodMessage[];
  /** Messages handed to the transport and not yet settled (waiting for a retry included). */
  inFlight: number;
}

/**
 * A window of messages in flight per neighbour, so that a neighbour across a slow link still takes a message per
 * link delay and more (one at a time would cap a 100 ms link at 10 messages a second), while a dead or slow
 * neighbour only ever holds its own lane: the others carry on, and its lane never grows past the window plus
 * maxQueuePerNeighbour.
 */
export function createSender(options: SenderOptions): Sender {
  const {
    transport,
    clock,
    maxRetries = 3,
    backoffMs = 250,
    maxBackoffMs = 5_000,
    attemptTimeoutMs = 10_000,
    maxInFlightPerNeighbour = 32,
    maxQueuePerNeighbour = 256,
    retryable = () => true,
  } = options;
  const lanes = new Map<string, Lane>();
  const timers = new Set<TimerHandle>();
  const stats = { delivered: 0, retried: 0, failed: 0, dropped: 0 };
  let closed = false;

  const later = (ms: number, fn: () => void): TimerHandle => {
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      fn();
    }, ms);
    timers.add(handle);
    return handle;
  };
  const cancel = (handle: TimerHandle | undefined) => {
    if (handle === undefined) return;
    clock.clearTimeout(handle);
    timers.delete(handle);
  };

  const pump = (to: string, lane: Lane) => {
    while (lane.inFlight < maxInFlightPerNeighbour) {
      const message = lane.waiting.shift();
      if (message === undefined) break;
      lane.inFlight++;
      attempt(to, lane, message, 0);
    }
    if (lane.inFlight === 0 && lane.waiting.length === 0) lanes.delete(to);
  };

  const done = (to: string, lane: Lane) => {
    lane.inFlight--;
    pump(to, lane);
  };

  const attempt = (to: string, lane: Lane, message: FloodMessage, retry: number) => {
    let settled = false;
    const finish = (ok: boolean, error?: unknown) => {
      if (settled || closed) return;
      settled = true;
      cancel(timeout);
      if (ok) {
        stats.delivered++;
        done(to, lane);
      } else if (retry < maxRetries && retryable(error)) {
        stats.retried++;
        later(Math.min(maxBackoffMs, backoffMs * 2 ** retry), () => attempt(to, lane, message, retry + 1));
      } else {
        stats.failed++;
        done(to, lane);
      }
    };
    const timeout = later(attemptTimeoutMs, () => finish(false, new Error(`no answer from ${to} in ${attemptTimeoutMs} ms`)));
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
        lane = { waiting: [], inFlight: 0 };
        lanes.set(to, lane);
      }
      if (lane.waiting.length >= maxQueuePerNeighbour) {
        lane.waiting.shift();
        stats.dropped++;
      }
      lane.waiting.push(message);
      pump(to, lane);
    },
    queued: (to) => lanes.get(to)?.waiting.length ?? 0,
    stats: () => ({ ...stats, queued: [...lanes.values()].reduce((n, lane) => n + lane.waiting.length, 0) }),
    close() {
      closed = true;
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      lanes.clear();
    },
  };
}
