// Keeps this node's neighbour table on the topology in effect: the neighbours of each package the deploy engine takes are
// kept by topology id and digest (on disk, for restarts), and the table changes when the engine's running topology does:
// apply, revert, removal.
import { z } from 'zod';
import { NodeNameSchema } from '../../src-shared/plan/nodeNames.ts';
import { DigestSchema, TopologyIdSchema } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { ReceiveOutcome } from '../deploy/deployStep.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { neighboursFromTopology, neighboursInEffect } from './neighboursFromTopology.ts';
import type { NeighbourTable } from './neighbourTable.ts';
import type { PeerTarget } from '../wire/peerClient.ts';
import { createSerialQueue } from '../../src-shared/async/serialQueue.ts';

/** Packages remembered besides the running and the confirmed one: deploys come one at a time, a few cover any overlap. */
const KEEP_RECENT = 4;

export const TopologyNeighboursFileSchema = z.strictObject({
  version: z.literal(1),
  /** The topology last confirmed here: a revert goes back to it, so its neighbours are always kept. */
  confirmed: TopologyIdSchema.optional(),
  /**
   * Packages the engine took, oldest first, one per topology id (the digest tells a package reusing an id apart).
   * `neighbours` null: that package's topology says nothing of this node (or it carried none).
   */
  topologies: z.array(
    z.strictObject({ topologyId: TopologyIdSchema, digest: DigestSchema, neighbours: z.array(z.strictObject({ node: NodeNameSchema, url: z.string() })).nullable() }),
  ),
});
export type TopologyNeighboursFile = z.infer<typeof TopologyNeighboursFileSchema>;
type KeptTopology = TopologyNeighboursFile['topologies'][number];

export interface TopologyNeighboursOptions {
  self: string;
  table: NeighbourTable;
  /** The configuration file's neighbours: in effect without a topology, and their addresses win over the topology's. */
  configured: readonly PeerTarget[];
  /** The configuration's address book: where nodes that may become neighbours are reached. */
  addresses?: readonly PeerTarget[];
  store: StateStore<TopologyNeighboursFile>;
  log: (event: string, fields: Record<string, unknown>) => void;
}

export interface TopologyNeighbours {
  /** Loads what was kept, before the deploy engine starts; returns the file's problem, if any. */
  load(): Promise<string | undefined>;
  /**
   * Hands a package to the deploy engine (`take` once the rules accepted it, or `receive`, which checks them itself) and
   * keeps (on disk) whom its topology makes this node's neighbours once the engine takes it: when the engine starts
   * deploying it, so before its configuration can run, or else when the engine answers anything but `refused`. A
   * refused package (only `receive` refuses) is not kept.
   */
  receive(pkg: DeployPackage, engineReceive: (pkg: DeployPackage) => Promise<ReceiveOutcome>): Promise<ReceiveOutcome>;
  /** On each deploy status: the neighbours of the topology now running, or the configured ones when none is. */
  follow(status: DeployStatus): void;
  /** A reloaded configuration's neighbours and address book. */
  configure(configured: readonly PeerTarget[], addresses?: readonly PeerTarget[]): void;
  /** Resolves when the writes started so far are done. */
  settled(): Promise<void>;
}

export function createTopologyNeighbours(options: TopologyNeighboursOptions): TopologyNeighbours {
  const { self, table, store, log } = options;
  let configured = options.configured;
  let addresses = options.addresses ?? [];
  let kept: TopologyNeighboursFile = { version: 1, topologies: [] };
  /** Packages with the engine, its answer not known yet; oldest first, the order the engine takes them in. */
  const incoming: KeptTopology[] = [];
  let running: string | undefined;
  let inEffect = '';
  const serial = createSerialQueue();

  const save = (): Promise<void> => {
    const snapshot = kept;
    return serial(() => store.save(snapshot)).catch((error: unknown) => log('neighbours_store_failed', { error: String(error) }));
  };

  const put = () => {
    const entry = kept.topologies.find((t) => t.topologyId === running);
    const fromTopology = entry?.neighbours ?? undefined;
    const next = neighboursInEffect(configured, fromTopology, addresses);
    const text = JSON.stringify(next);
    if (text === inEffect) return;
    inEffect = text;
    table.replace(next);
    log('neighbours', { from: fromTopology ? `topology ${running}` : 'configuration', nodes: next.map((n) => n.node) });
  };

  /** Keeps the running and the confirmed topology and the newest few; true when something was dropped. */
  const prune = (): boolean => {
    const recent = new Set(kept.topologies.slice(-KEEP_RECENT).map((t) => t.topologyId));
    const topologies = kept.topologies.filter((t) => t.topologyId === running || t.topologyId === kept.confirmed || recent.has(t.topologyId));
    if (topologies.length === kept.topologies.length) return false;
    kept = { ...kept, topologies };
    return true;
  };

  /** A package the engine took, in place of one with its topology id and another digest; true when something changed. */
  const keep = (entry: KeptTopology): boolean => {
    if (kept.topologies.some((t) => t.topologyId === entry.topologyId && t.digest === entry.digest)) return false;
    kept = { ...kept, topologies: [...kept.topologies.filter((t) => t.topologyId !== entry.topologyId), entry] };
    prune();
    return true;
  };

  const follow = (status: DeployStatus) => {
    // The engine deploys only a package it took, and says `deploying` before that package's configuration runs.
    const taken = status.state === 'deploying' ? incoming.find((t) => t.topologyId === status.topologyId) : undefined;
    let changed = taken !== undefined && keep(taken);
    running = status.runningTopologyId;
    const confirmed = status.state === 'deployed' ? status.topologyId : status.state === 'removed' ? undefined : kept.confirmed;
    if (confirmed !== kept.confirmed) {
      kept = { version: 1, ...(confirmed === undefined ? {} : { confirmed }), topologies: kept.topologies };
      changed = true;
    }
    changed = prune() || changed;
    put();
    if (changed) void save();
  };

  return {
    async load() {
      const read = await store.load();
      if (read.kind === 'ok') kept = read.value;
      if (read.kind !== 'corrupt') return undefined;
      return `the kept topology neighbours were corrupt (${read.reason}); kept the file as ${read.keptAs}, using the configured neighbours until the next deploy`;
    },

    async receive(pkg, engineReceive) {
      const neighbours = pkg.overlay === null ? null : (neighboursFromTopology(self, pkg.overlay) ?? null);
      const entry: KeptTopology = { topologyId: pkg.topologyId, digest: pkg.digest, neighbours };
      incoming.push(entry);
      try {
        const outcome = await engineReceive(pkg);
        if (outcome.result !== 'refused' && keep(entry)) {
          put();
          await save();
        }
        return outcome;
      } finally {
        incoming.splice(incoming.indexOf(entry), 1);
      }
    },

    follow,

    configure(next, book = []) {
      configured = next;
      addresses = book;
      put();
    },

    settled: () => serial(async () => undefined),
  };
}
