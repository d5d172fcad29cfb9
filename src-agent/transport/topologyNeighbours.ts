// Keeps this node's neighbour table on the topology in effect: each package's neighbours are remembered by topology id
// (on disk, for restarts), and the table changes when the deploy engine's running topology does: apply, revert, removal.
import { z } from 'zod';
import { NodeNameSchema } from '../../src-shared/plan/nodeNames.ts';
import { TopologyIdSchema } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployStatus } from '../apply/deployState.ts';
import type { StateStore } from '../../src-shared/node/jsonStateFile.ts';
import { neighboursFromTopology, neighboursInEffect } from './neighboursFromTopology.ts';
import type { NeighbourTable } from './neighbourTable.ts';
import type { PeerTarget } from './peerClient.ts';

/** Packages remembered besides the running and the confirmed one: deploys come one at a time, a few cover any overlap. */
const KEEP_RECENT = 4;

export const TopologyNeighboursFileSchema = z.strictObject({
  version: z.literal(1),
  /** The topology last confirmed here: a revert goes back to it, so its neighbours are always kept. */
  confirmed: TopologyIdSchema.optional(),
  /** Oldest first. `neighbours` null: that package's topology says nothing of this node (or it carried none). */
  topologies: z.array(z.strictObject({ topologyId: TopologyIdSchema, neighbours: z.array(z.strictObject({ node: NodeNameSchema, url: z.string() })).nullable() })),
});
export type TopologyNeighboursFile = z.infer<typeof TopologyNeighboursFileSchema>;

export interface TopologyNeighboursOptions {
  self: string;
  table: NeighbourTable;
  /** The configuration file's neighbours: in effect without a topology, and their addresses win over the topology's. */
  configured: readonly PeerTarget[];
  store: StateStore<TopologyNeighboursFile>;
  log: (event: string, fields: Record<string, unknown>) => void;
}

export interface TopologyNeighbours {
  /** Loads what was kept, before the deploy engine starts; returns the file's problem, if any. */
  load(): Promise<string | undefined>;
  /** Before the deploy engine gets a package: keeps (on disk) whom its topology makes this node's neighbours. */
  remember(pkg: DeployPackage): Promise<void>;
  /** On each deploy status: the neighbours of the topology now running, or the configured ones when none is. */
  follow(status: DeployStatus): void;
  /** A reloaded configuration's neighbours. */
  configure(configured: readonly PeerTarget[]): void;
  /** Resolves when the writes started so far are done. */
  settled(): Promise<void>;
}

export function createTopologyNeighbours(options: TopologyNeighboursOptions): TopologyNeighbours {
  const { self, table, store, log } = options;
  let configured = options.configured;
  let kept: TopologyNeighboursFile = { version: 1, topologies: [] };
  let running: string | undefined;
  let inEffect = '';
  let writing: Promise<void> = Promise.resolve();

  const save = (): Promise<void> => {
    const snapshot = kept;
    writing = writing.then(() => store.save(snapshot)).catch((error: unknown) => log('neighbours_store_failed', { error: String(error) }));
    return writing;
  };

  const put = () => {
    const entry = kept.topologies.find((t) => t.topologyId === running);
    const fromTopology = entry?.neighbours ?? undefined;
    const next = neighboursInEffect(configured, fromTopology);
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

  const follow = (status: DeployStatus) => {
    running = status.runningTopologyId;
    const confirmed = status.state === 'deployed' ? status.topologyId : status.state === 'removed' ? undefined : kept.confirmed;
    let changed = confirmed !== kept.confirmed;
    if (changed) kept = { version: 1, ...(confirmed === undefined ? {} : { confirmed }), topologies: kept.topologies };
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

    async remember(pkg) {
      if (kept.topologies.some((t) => t.topologyId === pkg.topologyId)) return;
      const neighbours = pkg.overlay === null ? null : (neighboursFromTopology(self, pkg.overlay) ?? null);
      kept = { ...kept, topologies: [...kept.topologies, { topologyId: pkg.topologyId, neighbours }] };
      prune();
      await save();
    },

    follow,

    configure(next) {
      configured = next;
      put();
    },

    settled: () => writing,
  };
}
