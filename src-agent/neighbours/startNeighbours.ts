// This node's neighbours, started: the configured ones in the table, and what a deployed topology made them, kept from
// the last run, to follow once the deploy engine says which topology runs.
import path from 'node:path';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import type { AgentLog } from '../agentLog.ts';
import type { PeerTarget } from '../wire/peerClient.ts';
import { createNeighbourTable } from './neighbourTable.ts';
import type { NeighbourTable } from './neighbourTable.ts';
import { createTopologyNeighbours, TopologyNeighboursFileSchema } from './topologyNeighbours.ts';
import type { TopologyNeighbours } from './topologyNeighbours.ts';

export interface NeighboursOptions {
  self: string;
  configured: readonly PeerTarget[];
  /** The configuration's address book (config `addresses`). */
  addresses: readonly PeerTarget[];
  /** Holds the neighbours of the topologies deployed, from one run to the next. */
  dataDir: string;
  log: AgentLog;
}

export async function startNeighbours(options: NeighboursOptions): Promise<{ table: NeighbourTable; topology: TopologyNeighbours }> {
  const { self, configured, log } = options;
  const table = createNeighbourTable(configured);
  const topology = createTopologyNeighbours({ self, table, configured, addresses: options.addresses, store: jsonStateFile(path.join(options.dataDir, 'topology-neighbours.json'), TopologyNeighboursFileSchema), log });
  const problem = await topology.load();
  if (problem) log('topology_neighbours_problem', { problem });
  return { table, topology };
}
