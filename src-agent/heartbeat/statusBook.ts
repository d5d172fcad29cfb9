// What this node knows of every node's status, from heartbeats and roots' leaf summaries; silence for three beats means down.
//
// A node known to exist but not heard from since this agent started is `pending`, and counts as live (for the administrator
// lock too) until three intervals have passed since it became known: right after a start, roots not heard from yet are
// expected to answer, not ignored. Known: in this node's overlay (deployed topology, neighbours), remembered from before
// the start, or heard from. Once this node knows its overlay, a node outside it is forgotten as soon as it is down, so a
// removed root is not remembered (nor pending after the next start) for ever.
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { FloodMessageOf, LeafSummary, NodeStatus, StatusSnapshot } from '../../src-shared/protocol/messages.ts';
import type { OwnReport } from './ownReport.ts';
import { beatEntries, isOtherRoot, stateAt, leafSummaries, otherRoots, pendingEntry, reportEntry, rootIds, snapshotAt, statusAt, unwantedDown, wantedNodes } from './statusEntries.ts';
import type { Entry } from './statusEntries.ts';

export const DEFAULT_HEARTBEAT_MS = 5_000;

export interface StatusBookOptions {
  /** This node's name. */
  self: string;
  now: () => number;
  /** The interval assumed for a node not heard from yet (others say theirs in each heartbeat). */
  intervalMs?: number;
  /** Roots this node knew before it started (see knownRoots.ts): pending from the start, like expected ones. */
  remembered?: readonly string[];
  /** Told, with every root this node knows but itself, whenever that set changes: to remember it across a restart. */
  onRootsChanged?: (roots: string[]) => void;
}

export interface StatusBook {
  /**
   * The nodes of this node's overlay (deployed topology and neighbours): new ones start pending. Any other node is
   * forgotten as soon as it is down, now or later (one still heard from stays as long as it is). A leaf keeps only
   * itself: no heartbeats reach leaves (see forwardPolicy.ts), so it could only ever call the others down.
   */
  expect(nodes: readonly string[]): void;
  /** A root known to exist from a message other than its heartbeat (a lock message): pending if it was not known. */
  heardFrom(node: string): void;
  /**
   * A heartbeat the router accepted. A root's summary counts only for its own leaves; an older beat than the last is
   * ignored. True when it changed what this root says of one of its own leaves (its state or topology): worth telling
   * the other roots at once.
   */
  record(message: FloodMessageOf<'heartbeat'>): boolean;
  /** This node's own report, recorded on each of its beats. */
  recordOwn(report: OwnReport): void;
  statusOf(node: string): NodeStatus | undefined;
  snapshot(): StatusSnapshot;
  /** Ids of the roots not known to be down (this one included when it is a root). */
  liveRoots(): number[];
  /** Ids of the other roots known to exist but not heard from since this agent started, and not yet down. */
  unheardRoots(): number[];
  /** For a root, its leaves as it knows them: the summary its heartbeat carries. */
  leafSummaries(): LeafSummary[];
}

export function createStatusBook(options: StatusBookOptions): StatusBook {
  const { self, now, intervalMs = DEFAULT_HEARTBEAT_MS } = options;
  const selfName = parseNodeName(self);
  if (selfName === undefined) throw new Error(`${self} is not a node name`);
  const entries = new Map<string, Entry>();
  const isOwnLeaf = (node: string) => {
    const name = parseNodeName(node);
    return selfName.role === 'root' && name?.role === 'leaf' && name.rootId === selfName.rootId;
  };
  /** The last overlay expected; until one is, nothing is forgotten. */
  let wanted: ReadonlySet<string> | undefined;
  /**
   * Whether the book may hold a node outside the overlay expected (only such a node is ever forgotten): every read and
   * write would otherwise look through the whole book, and a root of the sandbox's overlay reads it per heartbeat.
   */
  let mayHoldUnwanted = true;
  const add = (node: string, entry: Entry) => {
    entries.set(node, entry);
    if (wanted?.has(node) !== true) mayHoldUnwanted = true;
  };

  let rootsTold = '';
  const tellRoots = () => {
    const roots = otherRoots(entries, self);
    if (roots.join() === rootsTold) return;
    rootsTold = roots.join();
    options.onRootsChanged?.(roots);
  };

  const forget = (t: number) => {
    if (!mayHoldUnwanted) return;
    const gone = unwantedDown(entries, wanted, t, self);
    for (const node of gone) entries.delete(node);
    if (gone.length > 0) tellRoots();
    mayHoldUnwanted = wanted === undefined || [...entries.keys()].some((node) => !wanted!.has(node));
  };
  /** Every read and write starts here, so a node leaves the book (and the remembered roots) the moment it is down. */
  const current = (): number => {
    const t = now();
    forget(t);
    return t;
  };

  if (selfName.role === 'root') {
    const t = now();
    for (const node of options.remembered ?? []) if (isOtherRoot(node, self)) add(node, pendingEntry(t, intervalMs));
    rootsTold = otherRoots(entries, self).join();
  }

  return {
    expect(nodes) {
      const t = now();
      wanted = wantedNodes(nodes, self);
      mayHoldUnwanted = true;
      for (const node of wanted) if (!entries.has(node)) add(node, pendingEntry(t, intervalMs));
      forget(t);
      tellRoots();
    },

    heardFrom(node) {
      if (selfName.role !== 'root' || !isOtherRoot(node, self)) return;
      const t = current();
      if (entries.has(node)) return;
      add(node, pendingEntry(t, intervalMs));
      tellRoots();
    },

    record(message) {
      const t = current();
      const previous = entries.get(message.origin);
      const written = beatEntries(message, previous, t, self);
      let leafChanged = false;
      for (const [node, entry] of written) {
        const before = entries.get(node);
        if (isOwnLeaf(node) && (before === undefined || stateAt(node, before, t, self) !== entry.state || before.topologyId !== entry.topologyId)) leafChanged = true;
        add(node, entry);
      }
      if (written.length > 0 && previous === undefined && isOtherRoot(message.origin, self)) tellRoots();
      return leafChanged;
    },

    recordOwn(report) {
      const t = current();
      add(self, reportEntry(report, t, t, Infinity));
    },

    statusOf(node) {
      const t = current();
      const entry = entries.get(node);
      return entry === undefined ? undefined : statusAt(node, entry, t, self);
    },

    snapshot: () => snapshotAt(entries, current(), self),
    liveRoots: () => rootIds(entries, current(), self, 'live'),
    unheardRoots: () => rootIds(entries, current(), self, 'unheard'),
    leafSummaries: () => (selfName.role === 'root' ? leafSummaries(entries, current(), self, selfName.rootId) : []),
  };
}
