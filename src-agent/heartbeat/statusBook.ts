// What this node knows of every node's status, from heartbeats and roots' leaf summaries; silence for three beats means down.
//
// A node known to exist but not heard from since this agent started is `pending`, and counts as live (for the administrator
// lock too) until three intervals have passed since it became known: right after a start, roots not heard from yet are
// expected to answer, not ignored. Known: in this node's overlay (deployed topology, neighbours), remembered from before
// the start, or heard from. Once this node knows its overlay, a node outside it is forgotten as soon as it is down, so a
// removed root is not remembered (nor pending after the next start) for ever.
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { FloodMessageOf, HeartbeatBody, LeafSummary, NodeState, NodeStatus, StatusSnapshot, TunnelState } from '../../src-shared/protocol/messages.ts';

export const DEFAULT_HEARTBEAT_MS = 5_000;
/** Beats a node may miss before it is down. */
export const MISSED_BEATS = 3;

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

/** This node's own status, as deploy and the backends know it. */
export type OwnReport = Omit<HeartbeatBody, 'intervalMs' | 'leaves' | 'adminCredential'>;

export interface StatusBook {
  /**
   * The nodes of this node's overlay (deployed topology and neighbours): new ones start pending. Any other node is
   * forgotten as soon as it is down, now or later (one still heard from stays as long as it is). A leaf keeps only
   * itself: no heartbeats reach leaves (see forwardPolicy.ts), so it could only ever call the others down.
   */
  expect(nodes: readonly string[]): void;
  /** A root known to exist from a message other than its heartbeat (a lock message): pending if it was not known. */
  heardFrom(node: string): void;
  /** A heartbeat the router accepted. A root's summary counts only for its own leaves; an older beat than the last is ignored. */
  record(message: FloodMessageOf<'heartbeat'>): void;
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

interface Entry {
  state: NodeState;
  reason: string | undefined;
  /** When it was last heard of, as reported (epoch ms), or null. */
  lastHeartbeat: number | null;
  /** The sending time of the newest heartbeat recorded, so a late, older one does not overwrite it. */
  sentAt: number;
  /** On this node's clock: past this, with nothing newer heard, the node is down. */
  freshUntil: number;
  topologyId: string | null;
  clientsConnected: number | undefined;
  tunnels: TunnelState[] | undefined;
}

export function createStatusBook(options: StatusBookOptions): StatusBook {
  const { self, now, intervalMs = DEFAULT_HEARTBEAT_MS } = options;
  const selfName = parseNodeName(self);
  if (selfName === undefined) throw new Error(`${self} is not a node name`);
  const entries = new Map<string, Entry>();
  /** The last overlay expected; until one is, nothing is forgotten. */
  let wanted: ReadonlySet<string> | undefined;

  const pending = (t: number): Entry => ({
    state: 'pending',
    reason: undefined,
    lastHeartbeat: null,
    sentAt: -Infinity,
    freshUntil: t + MISSED_BEATS * intervalMs,
    topologyId: null,
    clientsConnected: undefined,
    tunnels: undefined,
  });

  const stateOf = (node: string, entry: Entry, t: number): NodeState => (node !== self && t > entry.freshUntil ? 'down' : entry.state);

  const statusOf = (node: string, entry: Entry, t: number): NodeStatus => {
    const state = stateOf(node, entry, t);
    return {
      node,
      state,
      ...(state === 'failed' ? { reason: entry.reason ?? 'failed' } : {}),
      lastHeartbeat: entry.lastHeartbeat,
      topologyId: entry.topologyId,
      ...(entry.clientsConnected !== undefined ? { clientsConnected: entry.clientsConnected } : {}),
      ...(entry.tunnels !== undefined ? { tunnels: entry.tunnels } : {}),
    };
  };

  const put = (node: string, entry: Entry) => entries.set(node, entry);

  const isRoot = (node: string) => parseNodeName(node)?.role === 'root';
  const otherRoots = () => [...entries.keys()].filter((node) => node !== self && isRoot(node)).sort(byNode);
  let rootsTold = '';
  const tellRoots = () => {
    const roots = otherRoots();
    if (roots.join() === rootsTold) return;
    rootsTold = roots.join();
    options.onRootsChanged?.(roots);
  };

  const fromReport = (report: OwnReport, t: number, sentAt: number, freshUntil: number): Entry => ({
    state: report.state,
    reason: report.reason,
    lastHeartbeat: t,
    sentAt,
    freshUntil,
    topologyId: report.topologyId,
    clientsConnected: report.clientsConnected,
    tunnels: report.tunnels,
  });

  const sortedNodes = () => [...entries.keys()].sort(byNode);

  /** Run before every read and write, so a node leaves the book (and the remembered roots) the moment it is down. */
  const forgetUnwanted = (t: number) => {
    if (wanted === undefined) return;
    let forgot = false;
    for (const [node, entry] of entries) {
      if (wanted.has(node) || stateOf(node, entry, t) !== 'down') continue;
      entries.delete(node);
      forgot = true;
    }
    if (forgot) tellRoots();
  };

  if (selfName.role === 'root') {
    const t = now();
    for (const node of options.remembered ?? []) if (node !== self && isRoot(node)) put(node, pending(t));
    rootsTold = otherRoots().join();
  }

  return {
    expect(nodes) {
      const t = now();
      wanted = new Set(selfName.role === 'root' ? [...nodes, self] : [self]);
      for (const node of wanted) if (!entries.has(node)) put(node, pending(t));
      forgetUnwanted(t);
      tellRoots();
    },

    heardFrom(node) {
      if (selfName.role !== 'root' || node === self || !isRoot(node)) return;
      const t = now();
      forgetUnwanted(t);
      if (entries.has(node)) return;
      put(node, pending(t));
      tellRoots();
    },

    record(message) {
      const { origin, body, ts } = message;
      const name = parseNodeName(origin);
      if (name === undefined || origin === self) return;
      const t = now();
      forgetUnwanted(t);
      const previous = entries.get(origin);
      if (previous !== undefined && ts <= previous.sentAt) return;
      const freshUntil = t + MISSED_BEATS * body.intervalMs;
      put(origin, fromReport(body, t, ts, freshUntil));
      if (name.role !== 'root') return;
      if (previous === undefined) tellRoots();
      for (const leaf of body.leaves ?? []) {
        const leafName = parseNodeName(leaf.node);
        if (leafName?.rootId !== name.rootId) continue;
        put(leaf.node, {
          state: leaf.state,
          reason: leaf.reason,
          lastHeartbeat: leaf.lastHeartbeat,
          sentAt: ts,
          // A leaf its root calls down is down now; otherwise it stays up as long as its root's summary is fresh.
          freshUntil: leaf.state === 'down' ? -Infinity : freshUntil,
          topologyId: leaf.topologyId,
          clientsConnected: leaf.clientsConnected,
          tunnels: undefined,
        });
      }
    },

    recordOwn(report) {
      const t = now();
      forgetUnwanted(t);
      put(self, fromReport(report, t, t, Infinity));
    },

    statusOf(node) {
      const t = now();
      forgetUnwanted(t);
      const entry = entries.get(node);
      return entry === undefined ? undefined : statusOf(node, entry, t);
    },

    snapshot() {
      const t = now();
      forgetUnwanted(t);
      return { node: self, generatedAt: t, nodes: sortedNodes().map((node) => statusOf(node, entries.get(node)!, t)) };
    },

    liveRoots() {
      const t = now();
      forgetUnwanted(t);
      const roots: number[] = [];
      for (const node of sortedNodes()) {
        const name = parseNodeName(node);
        if (name?.role === 'root' && stateOf(node, entries.get(node)!, t) !== 'down') roots.push(name.rootId);
      }
      return roots;
    },

    unheardRoots() {
      const t = now();
      forgetUnwanted(t);
      const roots: number[] = [];
      for (const node of sortedNodes()) {
        const name = parseNodeName(node);
        const entry = entries.get(node)!;
        if (node !== self && name?.role === 'root' && entry.lastHeartbeat === null && stateOf(node, entry, t) !== 'down') roots.push(name.rootId);
      }
      return roots;
    },

    leafSummaries() {
      if (selfName.role !== 'root') return [];
      const t = now();
      forgetUnwanted(t);
      return sortedNodes()
        .filter((node) => {
          const name = parseNodeName(node);
          return name?.role === 'leaf' && name.rootId === selfName.rootId;
        })
        .map((node) => {
          const { tunnels: _tunnels, ...summary } = statusOf(node, entries.get(node)!, t);
          return summary;
        });
    },
  };
}

/** Roots by id, each followed by its leaves by index. */
function byNode(a: string, b: string): number {
  const x = parseNodeName(a);
  const y = parseNodeName(b);
  if (x === undefined || y === undefined) return a < b ? -1 : a > b ? 1 : 0;
  const xi = x.role === 'root' ? 0 : x.index;
  const yi = y.role === 'root' ? 0 : y.index;
  return x.rootId - y.rootId || xi - yi;
}
