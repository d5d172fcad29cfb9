// The flood router at overlay scale on the in-memory transport: messages per flood against the minimum, and the seen-set's memory after an hour.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { rootNodeName } from '../src-shared/plan/nodeNames.ts';
import type { HeartbeatBody } from '../src-shared/protocol/messages.ts';
import { createManualClock } from '../src-agent/clock.ts';
import { overlayShouldSend } from '../src-agent/flood/forwardPolicy.ts';
import { createMemoryNetwork } from '../src-agent/flood/memoryNetwork.ts';
import { randomOverlay, seededRandom } from '../src-agent/flood/overlayGraph.ts';
import { digestKey } from '../src-agent/flood/router.ts';
import { createSeenSet } from '../src-agent/flood/seenSet.ts';

export interface FloodSimulationOptions {
  /** Nodes in the overlay, roots included (default 5,000). */
  nodes?: number;
  /** Roots (default 50: one per cloud, each with nodes/roots − 1 leaves). */
  roots?: number;
  /** Tunnels beyond the spanning tree joining the roots (default: as many as roots, about four peers per root). */
  extraTunnels?: number;
  /** Floods from random origins to count messages (default 20). */
  floods?: number;
  /** Simulated time for the seen-set figure (default an hour). */
  durationMs?: number;
  heartbeatMs?: number;
  seed?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface FloodSimulationResult {
  /** Messages handed to the transport per flood, averaged over the floods. */
  simMessagesPerFlood: number;
  /** The least any flooding can send: one message per node other than the origin (a spanning tree). */
  simMinimumPerFlood: number;
  /** What the seed's algorithm must send on this graph: 2·links − (nodes − 1), each link both ways but the tree's once. */
  simExpectedPerFlood: number;
  /** Fraction of (flood, node) pairs handled: 1 means every flood reached every node. */
  simReach: number;
  /** Handlings beyond the first, per flood and node (0 means exactly once). */
  simDuplicateHandlings: number;
  /** Estimated bytes of the busiest seen-set (a root's) after the simulated duration. */
  simSeenSetBytes: number;
  simSeenSetEntries: number;
  /** The largest estimate at any minute: the set stops growing once entries start to expire. */
  simSeenSetPeakBytes: number;
  /** Heap growth per seen-set entry, measured with forced GCs at the same number of entries, to check the estimate (NaN without GC). */
  simSeenSetHeapBytesPerEntry: number;
}

const START = 1_700_000_000_000;

export function runFloodSimulation(options: FloodSimulationOptions = {}): FloodSimulationResult {
  const { nodes = 5_000, roots = 50, floods = 20, durationMs = 3_600_000, heartbeatMs = 5_000, seed = 1, log = () => {} } = options;
  const leavesPerRoot = Math.floor(nodes / roots) - 1;
  const extraTunnels = options.extraTunnels ?? roots;
  const overlay = randomOverlay({ roots, leavesPerRoot, extraTunnels, random: seededRandom(seed) });
  const n = overlay.nodes.length;
  log(`overlay: ${n} nodes (${roots} roots, ${leavesPerRoot} leaves each), ${overlay.links} links`);

  const perFlood = floodAll(overlay, floods, seededRandom(seed + 1));
  log(`${floods} floods: ${perFlood.messagesPerFlood} messages each, reach ${perFlood.reach}`);

  const hour = seenSetAfter(overlay, durationMs, heartbeatMs, log);
  return {
    simMessagesPerFlood: perFlood.messagesPerFlood,
    simMinimumPerFlood: n - 1,
    simExpectedPerFlood: 2 * overlay.links - (n - 1),
    simReach: perFlood.reach,
    simDuplicateHandlings: perFlood.duplicates,
    simSeenSetBytes: hour.bytes,
    simSeenSetEntries: hour.entries,
    simSeenSetPeakBytes: hour.peakBytes,
    simSeenSetHeapBytesPerEntry: heapBytesPerEntry(hour.entries),
  };
}

/** Floods that concern every node (deploys) from random origins across the whole overlay, counting messages and handlings. */
function floodAll(overlay: ReturnType<typeof randomOverlay>, floods: number, random: () => number) {
  const handledBy = new Map<string, number>();
  const network = createMemoryNetwork({
    neighbours: overlay.neighbours,
    now: () => START,
    router: { shouldSend: overlayShouldSend },
    handle: (node, message) => {
      const key = `${message.id} ${node}`;
      handledBy.set(key, (handledBy.get(key) ?? 0) + 1);
    },
  });
  const ids: string[] = [];
  for (let i = 0; i < floods; i++) {
    const origin = overlay.nodes[Math.floor(random() * overlay.nodes.length)]!;
    const message = network.router(origin).originate('deploy', { topologyId: `t${i}`, digest: `sha256:${'0'.repeat(64)}`, size: 1, confirmBy: START });
    ids.push(message.id);
    network.deliverAll();
  }
  let reached = 0;
  let duplicates = 0;
  for (const id of ids) {
    for (const node of overlay.nodes) {
      const count = handledBy.get(`${id} ${node}`) ?? 0;
      if (count > 0) reached++;
      duplicates += Math.max(0, count - 1);
    }
  }
  const pairs = floods * (overlay.nodes.length - 1);
  return { messagesPerFlood: network.sent / floods, reach: reached / pairs, duplicates: duplicates / pairs };
}

/**
 * An hour of the overlay's steady traffic as root-1 sees it, through root-1's real router and seen-set on a simulated
 * clock: every root's heartbeat every interval (made and signed by that root's router), arriving once from each of
 * root-1's tunnel peers as a flood would bring it, and the heartbeats of root-1's own leaves. A root's seen-set is the
 * busiest (leaves see only the floods meant for them). Left out: other roots' leaves, whose heartbeats stop at their
 * own root, and the leaf summaries in root heartbeats, which cost parsing time but not seen-set memory (the set keeps a
 * fixed-size digest per message).
 */
function seenSetAfter(overlay: ReturnType<typeof randomOverlay>, durationMs: number, heartbeatMs: number, log: (line: string) => void) {
  const clock = createManualClock(START);
  const observed = rootNodeName(1);
  const peers = overlay.neighbours.get(observed)!.filter((node) => node.startsWith('root-'));
  const leaves = overlay.neighbours.get(observed)!.filter((node) => node.startsWith('leaf-'));
  // root-1 with its leaves; the other roots stand alone and their heartbeats are handed to root-1 from its peers.
  const neighbours = new Map<string, string[]>([
    [observed, leaves],
    ...leaves.map((leaf): [string, string[]] => [leaf, [observed]]),
    ...overlay.roots.filter((root) => root !== observed).map((root): [string, string[]] => [root, []]),
  ]);
  const network = createMemoryNetwork({ neighbours, now: clock.now, router: { shouldSend: overlayShouldSend } });
  const root1 = network.router(observed);
  const body: HeartbeatBody = { state: 'alive', topologyId: 't1', intervalMs: heartbeatMs, clientsConnected: 90 };
  let peakBytes = 0;
  for (let t = START; t < START + durationMs; t += heartbeatMs) {
    clock.advance(t - clock.now());
    for (const root of overlay.roots) {
      if (root === observed) continue;
      const message = network.router(root).originate('heartbeat', body);
      for (const peer of peers) root1.receive(peer, message);
    }
    for (const leaf of leaves) network.router(leaf).originate('heartbeat', body);
    root1.originate('heartbeat', body);
    network.deliverAll();
    const { seenEntries, seenBytes } = root1.stats();
    peakBytes = Math.max(peakBytes, seenBytes);
    if ((t - START) % 600_000 === 0) log(`${(t - START) / 60_000} min: ${seenEntries} seen-set entries, ~${seenBytes} bytes`);
  }
  const { seenEntries, seenBytes } = root1.stats();
  log(`${durationMs / 60_000} min: ${seenEntries} seen-set entries, ~${seenBytes} bytes`);
  return { bytes: seenBytes, entries: seenEntries, peakBytes };
}

/** Heap growth per entry of a seen-set of `entries` keys made as the router makes them, garbage collected before and after. */
function heapBytesPerEntry(entries: number): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') return Number.NaN;
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const seen = createSeenSet({ now: () => START });
  const counter = new Uint32Array(1);
  for (let i = 0; i < entries; i++) {
    counter[0] = i;
    seen.add(digestKey(new Uint8Array(counter.buffer)));
  }
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  return seen.size === entries ? Math.round((after - before) / entries) : Number.NaN;
}
