// The status book's entries and the pure rules over them: what a heartbeat writes, when a node is down, which nodes an
// overlay keeps, which roots count, what a snapshot shows. statusBook.ts holds the entries and applies these rules.
import { byNode, parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { FloodMessageOf, LeafSummary, NodeState, NodeStatus, StatusSnapshot, TunnelState } from '../../src-shared/protocol/messages.ts';
import type { OwnReport } from './ownReport.ts';

/** Beats a node may miss before it is down. */
export const MISSED_BEATS = 3;

export interface Entry {
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

export type Entries = ReadonlyMap<string, Entry>;

/** A node known to exist and not heard from: pending for MISSED_BEATS intervals from `t`, then down. */
export function pendingEntry(t: number, intervalMs: number): Entry {
  return { state: 'pending', reason: undefined, lastHeartbeat: null, sentAt: -Infinity, freshUntil: t + MISSED_BEATS * intervalMs, topologyId: null, clientsConnected: undefined, tunnels: undefined };
}

/** A node's report of itself, heard at `t`. */
export function reportEntry(report: OwnReport, t: number, sentAt: number, freshUntil: number): Entry {
  return {
    state: report.state,
    reason: report.reason,
    lastHeartbeat: t,
    sentAt,
    freshUntil,
    topologyId: report.topologyId,
    clientsConnected: report.clientsConnected,
    tunnels: report.tunnels,
  };
}

/** Its state at `t`: down once no longer fresh, except this node itself, which is never down to itself. */
export function stateAt(node: string, entry: Entry, t: number, self: string): NodeState {
  return node !== self && t > entry.freshUntil ? 'down' : entry.state;
}

export function statusAt(node: string, entry: Entry, t: number, self: string): NodeStatus {
  const state = stateAt(node, entry, t, self);
  return {
    node,
    state,
    ...(state === 'failed' ? { reason: entry.reason ?? 'failed' } : {}),
    lastHeartbeat: entry.lastHeartbeat,
    topologyId: entry.topologyId,
    ...(entry.clientsConnected !== undefined ? { clientsConnected: entry.clientsConnected } : {}),
    ...(entry.tunnels !== undefined ? { tunnels: entry.tunnels } : {}),
  };
}

/**
 * What a heartbeat heard at `t` writes: its origin's entry and, for a root, its own leaves' from its summary (a leaf its
 * root calls down is down now; the others stay up as long as the summary is fresh). Nothing for this node's own beat,
 * for an origin that is no node, or for a beat no newer than the last one recorded of its origin (`previous`).
 */
export function beatEntries(message: FloodMessageOf<'heartbeat'>, previous: Entry | undefined, t: number, self: string): Array<[string, Entry]> {
  const { origin, body, ts } = message;
  const name = parseNodeName(origin);
  if (name === undefined || origin === self) return [];
  if (previous !== undefined && ts <= previous.sentAt) return [];
  const freshUntil = t + MISSED_BEATS * body.intervalMs;
  const written: Array<[string, Entry]> = [[origin, reportEntry(body, t, ts, freshUntil)]];
  if (name.role !== 'root') return written;
  for (const leaf of body.leaves ?? []) {
    if (parseNodeName(leaf.node)?.rootId !== name.rootId) continue;
    written.push([
      leaf.node,
      {
        state: leaf.state,
        reason: leaf.reason,
        lastHeartbeat: leaf.lastHeartbeat,
        sentAt: ts,
        freshUntil: leaf.state === 'down' ? -Infinity : freshUntil,
        topologyId: leaf.topologyId,
        clientsConnected: leaf.clientsConnected,
        tunnels: undefined,
      },
    ]);
  }
  return written;
}

/**
 * The nodes a book keeps whatever their state, given its overlay (deployed topology and neighbours): those and itself.
 * A leaf keeps only itself: no heartbeats reach leaves (see forwardPolicy.ts), so it could only ever call the others down.
 */
export function wantedNodes(overlay: readonly string[], self: string): ReadonlySet<string> {
  return new Set(isRoot(self) ? [...overlay, self] : [self]);
}

/** The nodes to forget at `t`: down, and outside the wanted ones. Until a book knows its overlay (`wanted`), none. */
export function unwantedDown(entries: Entries, wanted: ReadonlySet<string> | undefined, t: number, self: string): string[] {
  if (wanted === undefined) return [];
  const gone: string[] = [];
  for (const [node, entry] of entries) if (!wanted.has(node) && stateAt(node, entry, t, self) === 'down') gone.push(node);
  return gone;
}

/**
 * Ids of the roots not known to be down at `t`, in order: `live` counts this one too (when it is a root); `unheard`
 * only the others not heard from since this agent started.
 */
export function rootIds(entries: Entries, t: number, self: string, which: 'live' | 'unheard'): number[] {
  const roots: number[] = [];
  for (const node of sortedNodes(entries)) {
    const name = parseNodeName(node);
    const entry = entries.get(node)!;
    if (name?.role !== 'root' || stateAt(node, entry, t, self) === 'down') continue;
    if (which === 'unheard' && (node === self || entry.lastHeartbeat !== null)) continue;
    roots.push(name.rootId);
  }
  return roots;
}

/** A root other than this node: what a root remembers across restarts and counts as heard of. */
export function isOtherRoot(node: string, self: string): boolean {
  return node !== self && isRoot(node);
}

/** The other roots in the book, in order. */
export function otherRoots(entries: Entries, self: string): string[] {
  return [...entries.keys()].filter((node) => isOtherRoot(node, self)).sort(byNode);
}

/** Root `rootId`'s leaves as the book knows them at `t`, without their tunnels: the summary a root's heartbeat carries. */
export function leafSummaries(entries: Entries, t: number, self: string, rootId: number): LeafSummary[] {
  // Picked before they are sorted: a root's beats read them at every change, among the whole overlay's nodes.
  return [...entries.keys()]
    .filter((node) => {
      const name = parseNodeName(node);
      return name?.role === 'leaf' && name.rootId === rootId;
    })
    .sort(byNode)
    .map((node) => {
      const { tunnels: _tunnels, ...summary } = statusAt(node, entries.get(node)!, t, self);
      return summary;
    });
}

export function snapshotAt(entries: Entries, t: number, self: string): StatusSnapshot {
  return { node: self, generatedAt: t, nodes: sortedNodes(entries).map((node) => statusAt(node, entries.get(node)!, t, self)) };
}

function sortedNodes(entries: Entries): string[] {
  return [...entries.keys()].sort(byNode);
}

function isRoot(node: string): boolean {
  return parseNodeName(node)?.role === 'root';
}
