// Beats on a timer: a leaf reports to its root; a root floods its own status with the summary of its leaves. A change
// worth telling at once (a deploy applied, a leaf's state) brings the next beat forward.
import type { CredentialRecord, HeartbeatBody, LeafSummary } from '../../src-shared/protocol/messages.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { DEFAULT_HEARTBEAT_MS } from './statusBook.ts';
import type { StatusBook } from './statusBook.ts';
import type { OwnReport } from './ownReport.ts';

export interface HeartbeatEmitterOptions {
  book: Pick<StatusBook, 'recordOwn' | 'leafSummaries'>;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  intervalMs?: number;
  /** The least time between two beats when one is brought forward (default: a fifth of the interval, at most 250 ms). */
  minGapMs?: number;
  /**
   * How long a beat brought forward waits at least (at most minGapMs; by default 50 ms at a root, 10 ms at a leaf): the
   * changes that come together (a deploy taken and found unchanged: deploying, then awaiting its confirmation; a root's
   * leaves telling theirs) go in one beat, which every root receives, rather than one each. A leaf's beat goes to its
   * root only: it waits less.
   */
  settleMs?: number;
  /**
   * How long a root's beat brought forward waits at most while a deploy is still under way at the root or one of its
   * leaves (default: a fifth of the interval, at most 1 s): its leaves take a deploy a moment after it, and one beat,
   * which every root receives and checks, then tells of them all.
   */
  deployHoldMs?: number;
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
   * runs again from that beat. Nothing changes when the beat would tell what the last one told (a deploy confirmed: it
   * was alive on that topology already).
   */
  soon(): void;
}

const ROOT_SETTLE_MS = 50;
const LEAF_SETTLE_MS = 10;

export function createHeartbeatEmitter(options: HeartbeatEmitterOptions): HeartbeatEmitter {
  const { book, clock, intervalMs = DEFAULT_HEARTBEAT_MS, isRoot, ownReport, credential, originate, onError } = options;
  const minGapMs = options.minGapMs ?? Math.min(250, intervalMs / 5);
  const settleMs = Math.min(options.settleMs ?? (isRoot ? ROOT_SETTLE_MS : LEAF_SETTLE_MS), minGapMs);
  const deployHoldMs = options.deployHoldMs ?? Math.min(1_000, intervalMs / 5);
  let timer: TimerHandle | undefined;
  let lastBeat = -Infinity;
  /** When the next beat was first brought forward (undefined: it was not), and whether it waits on a deploy under way. */
  let askedAt: number | undefined;
  let holding = false;
  /** What the last beat told, but for when the leaves were heard last: a change that leaves it as it is needs no beat. */
  let lastTold: string | undefined;
  const told = (report: OwnReport, leaves: readonly LeafSummary[] | undefined) => JSON.stringify([report, leaves?.map(({ lastHeartbeat: _, ...leaf }) => leaf)]);

  const beat = (): HeartbeatBody => {
    const report = ownReport();
    book.recordOwn(report);
    const adminCredential = isRoot ? credential?.() : undefined;
    const body: HeartbeatBody = isRoot
      ? { ...report, intervalMs, leaves: book.leafSummaries(), ...(adminCredential === undefined ? {} : { adminCredential }) }
      : { ...report, intervalMs };
    lastBeat = clock.now();
    originate(body);
    lastTold = told(report, body.leaves);
    return body;
  };

  const underWay = () => isRoot && deployUnderWay(ownReport(), book.leafSummaries());

  const loop = () => {
    askedAt = undefined;
    holding = false;
    try {
      beat();
    } catch (error) {
      onError?.(error);
    }
    timer = clock.setTimeout(loop, intervalMs);
  };

  /** The beat brought forward: held while a deploy is under way here, up to deployHoldMs after it was first asked for. */
  const broughtForward = () => {
    const holdUntil = (askedAt ?? -Infinity) + deployHoldMs;
    if (clock.now() < holdUntil && underWay()) {
      holding = true;
      timer = clock.setTimeout(broughtForward, holdUntil - clock.now());
    } else loop();
  };

  const bringForward = () => {
    clock.clearTimeout(timer!);
    timer = clock.setTimeout(broughtForward, Math.max(settleMs, lastBeat + minGapMs - clock.now()));
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
      if (timer === undefined) return;
      const report = ownReport();
      const leaves = isRoot ? book.leafSummaries() : undefined;
      if (told(report, leaves) === lastTold) return;
      if (askedAt === undefined) {
        askedAt = clock.now();
        bringForward();
      } else if (holding && !deployUnderWay(report, leaves ?? [])) {
        // What it waited on came: the beat goes out as any brought forward, after the settling wait.
        holding = false;
        bringForward();
      }
    },
  };
}

/**
 * Whether a deploy is still under way at a root or one of its leaves: one is deploying, or a leaf that reports runs
 * another topology than the root (it has yet to take the root's).
 */
export function deployUnderWay(own: Pick<OwnReport, 'state' | 'topologyId'>, leaves: readonly LeafSummary[]): boolean {
  if (own.state === 'deploying') return true;
  return leaves.some((leaf) => leaf.state === 'deploying' || ((leaf.state === 'alive' || leaf.state === 'failed') && leaf.topologyId !== own.topologyId));
}
