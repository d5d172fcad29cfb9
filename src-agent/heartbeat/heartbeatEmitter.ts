// Beats on a timer: a leaf reports to its root; a root floods its own status with the summary of its leaves. A change
// worth telling at once (a deploy applied, a leaf's state) brings the next beat forward.
import type { CredentialRecord, HeartbeatBody } from '../../src-shared/protocol/messages.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { DEFAULT_HEARTBEAT_MS } from './statusBook.ts';
import type { StatusBook } from './statusBook.ts';
import type { OwnReport } from './ownReport.ts';

export interface HeartbeatEmitterOptions {
  book: StatusBook;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  intervalMs?: number;
  /** The least time between two beats when one is brought forward (default: a fifth of the interval, at most 250 ms). */
  minGapMs?: number;
  /**
   * How long a beat brought forward waits at least (default 50 ms, at most minGapMs): the changes that come together
   * (a deploy taken and found unchanged: deploying, then awaiting its confirmation; a root's leaves telling theirs) go
   * in one beat, which every root receives, rather than one each.
   */
  settleMs?: number;
  /** Whether this node is a root (its beats carry its leaves' summary). */
  isRoot: boolean;
  ownReport: () => OwnReport;
  /** A root's administrator credential, carried in its beats so every root holds the newest (see credentialRecord.ts). */
  credential?: () => CredentialRecord | undefined;
  /** Sends the heartbeat: the router's originate('heartbeat', body). */
  originate: (body: HeartbeatBody) => void;
  /** Told when a beat fails (the next one is still scheduled). */
  onError?: (error: unknown) => void;
}

export interface HeartbeatEmitter {
  /** Beats now and then every interval. */
  start(): void;
  stop(): void;
  /** One beat: records this node's own status and sends it; returns what was sent. */
  beat(): HeartbeatBody;
  /**
   * Brings the next beat forward to settleMs from now, or to minGapMs after the last one if later: what a deploy's
   * follower waits for arrives without waiting out the interval, and calls close together make one beat. The interval
   * runs again from that beat.
   */
  soon(): void;
}

export function createHeartbeatEmitter(options: HeartbeatEmitterOptions): HeartbeatEmitter {
  const { book, clock, intervalMs = DEFAULT_HEARTBEAT_MS, isRoot, ownReport, credential, originate, onError } = options;
  const minGapMs = options.minGapMs ?? Math.min(250, intervalMs / 5);
  const settleMs = Math.min(options.settleMs ?? 50, minGapMs);
  let timer: TimerHandle | undefined;
  let lastBeat = -Infinity;
  let broughtForward = false;

  const beat = (): HeartbeatBody => {
    const report = ownReport();
    book.recordOwn(report);
    const adminCredential = isRoot ? credential?.() : undefined;
    const body: HeartbeatBody = isRoot
      ? { ...report, intervalMs, leaves: book.leafSummaries(), ...(adminCredential === undefined ? {} : { adminCredential }) }
      : { ...report, intervalMs };
    lastBeat = clock.now();
    originate(body);
    return body;
  };

  const loop = () => {
    broughtForward = false;
    try {
      beat();
    } catch (error) {
      onError?.(error);
    }
    timer = clock.setTimeout(loop, intervalMs);
  };

  return {
    start() {
      if (timer === undefined) loop();
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    beat,
    soon() {
      if (timer === undefined || broughtForward) return;
      broughtForward = true;
      clock.clearTimeout(timer);
      timer = clock.setTimeout(loop, Math.max(settleMs, lastBeat + minGapMs - clock.now()));
    },
  };
}
