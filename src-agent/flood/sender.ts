// Delivers flooded messages to neighbours asynchronously: per neighbour, a bounded queue per origin served in turn;
// bounded retries with backoff.
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
  /** Messages of one origin waiting per neighbour beyond those in flight; when full that origin's oldest is dropped (and counted). */
  maxQueuePerOrigin?: number;
  /** Whether a failure is worth another attempt (a refusal such as a 4xx is not); all are unless told otherwise. */
  retryable?: (error: unknown) => boolean;
}

export interface SenderStats {
  delivered: number;
  retried: number;
  /** Given up: every retry failed, or the failure was not retryable. */
  failed: number;
  /** Dropped from an origin's full queue. */
  dropped: number;
  /** Heartbeats replaced while waiting by a newer one of the same origin. */
  superseded: number;
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
  /**
   * Per origin, its messages waiting, oldest first. The map's order is the order origins are served in: one message
   * of the first, which then goes to the back if it has more.
   */
  byOrigin: Map<string, FloodMessage[]>;
  /** Messages waiting, over all origins. */
  waiting: number;
  /** Messages handed to the transport and not yet settled (waiting for a retry included). */
  inFlight: number;
}

/**
 * A window of messages in flight per neighbour, so that a neighbour across a slow link still takes a message per
 * link delay and more (one at a time would cap a 100 ms link at 10 messages a second), while a dead or slow
 * neighbour only ever holds its own lane: the others carry on.
 *
 * Within a lane every origin has a queue of its own and the origins take turns (round robin). One origin flooding a
 * link (a compromised node, or a burst) fills and drops only its own queue: the heartbeats and lock messages of every
 * other origin, this node's included, still go out at their turn, so no root is taken for down and no administrator
 * claim lost because someone else's traffic is heavy. A heartbeat replaces a waiting older one of its origin: only
 * the newest state is worth sending, and an origin's heartbeats never pile up.
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
    maxQueuePerOrigin = 64,
    retryable = () => true,
  } = options;
  const lanes = new Map<string, Lane>();
  const timers = new Set<TimerHandle>();
  const stats = { delivered: 0, retried: 0, failed: 0, dropped: 0, superseded: 0 };
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

  /** The next origin's oldest message; that origin goes to the back of the turn if it has more. */
  const nextInTurn = (lane: Lane): FloodMessage | undefined => {
    const first = lane.byOrigin.entries().next().value;
    if (first === undefined) return undefined;
    const [origin, queue] = first;
    const message = queue.shift()!;
    lane.byOrigin.delete(origin);
    if (queue.length > 0) lane.byOrigin.set(origin, queue);
    lane.waiting--;
    return message;
  };

  const pump = (to: string, lane: Lane) => {
    while (lane.inFlight < maxInFlightPerNeighbour) {
      const message = nextInTurn(lane);
      if (message === undefined) break;
      lane.inFlight++;
      attempt(to, lane, message, 0);
    }
    if (lane.inFlight === 0 && lane.waiting === 0) lanes.delete(to);
  };

  const enqueue = (lane: Lane, message: FloodMessage) => {
    let queue = lane.byOrigin.get(message.origin);
    if (queue === undefined) {
      queue = [];
      lane.byOrigin.set(message.origin, queue);
    }
    const older = message.type === 'heartbeat' ? queue.findIndex((m) => m.type === 'heartbeat') : -1;
    if (older >= 0) {
      queue.splice(older, 1);
      stats.superseded++;
      lane.waiting--;
    } else if (queue.length >= maxQueuePerOrigin) {
      queue.shift();
      stats.dropped++;
      lane.waiting--;
    }
    queue.push(message);
    lane.waiting++;
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
        lane = { byOrigin: new Map(), waiting: 0, inFlight: 0 };
        lanes.set(to, lane);
      }
      enqueue(lane, message);
      pump(to, lane);
    },
    queued: (to) => lanes.get(to)?.waiting ?? 0,
    stats: () => ({ ...stats, queued: [...lanes.values()].reduce((n, lane) => n + lane.waiting, 0) }),
    close() {
      closed = true;
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      lanes.clear();
    },
  };
}
