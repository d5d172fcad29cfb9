// What changed between two readings of a login's progress with the administrator lock, as one event per root: pure.
import type { LoginProgress } from '../../../src-shared/protocol/agentApi.ts';
import { rootNodeName } from '../../../src-shared/plan/nodeNames.ts';

/**
 * - `acknowledged`: the root granted the login;
 * - `no-longer-awaited`: the root left the roots awaited while some root was taken for down, so it acknowledged or went
 *   down (the progress counts acknowledgements but names only the roots still awaited, and cannot say which);
 * - `awaiting`: a root the entry root had not counted is awaited now (it came up, or was heard of).
 */
export interface LockProgressEvent {
  type: 'acknowledged' | 'no-longer-awaited' | 'awaiting';
  root: string;
  /** Roots acknowledged once this event is counted: of several in one reading, each is told with its own count. */
  acknowledged: number;
  expected: number;
  /** The reading the event comes from. */
  progress: LoginProgress;
}

/**
 * `previous` undefined: the progress the login answered with, when the entry root alone has acknowledged (it grants
 * its own login at once).
 */
export function lockProgressEvents(previous: LoginProgress | undefined, next: LoginProgress, entry: string): LockProgressEvent[] {
  const event = (type: LockProgressEvent['type'], root: string, acknowledged = next.acknowledged): LockProgressEvent => ({ type, root, acknowledged, expected: next.expected, progress: next });
  if (previous === undefined) return next.acknowledged > 0 ? [event('acknowledged', entry, 1)] : [];
  const before = new Set(previous.waitingFor);
  const now = new Set(next.waitingFor);
  const left = previous.waitingFor.filter((r) => !now.has(r));
  const joined = next.waitingFor.filter((r) => !before.has(r));
  // Roots counted before (or joined since) that no longer count: taken for down.
  const dropped = previous.expected + joined.length - next.expected;
  return [
    ...left.map((r, i) =>
      dropped > 0 ? event('no-longer-awaited', rootNodeName(r)) : event('acknowledged', rootNodeName(r), Math.min(next.acknowledged, previous.acknowledged + i + 1)),
    ),
    ...joined.map((r) => event('awaiting', rootNodeName(r))),
  ];
}
