// A node's tunnels, started: what it measures of them for its heartbeats and, on a linux root, the rerouting around cut
// ones, fed by its own measurement and the other roots' heartbeats.
import { join } from 'node:path';
import { writeFileAtomic } from '../../src-node/atomicFile.ts';
import { readFile } from 'node:fs/promises';
import { planRoot } from '../../src-shared/plan/planAddresses.ts';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { DeployOverlay } from '../../src-shared/protocol/deployPackage.ts';
import type { NodeStatus } from '../../src-shared/protocol/messages.ts';
import type { AgentLog } from '../agentLog.ts';
import type { BackendConfig } from '../backends/createBackend.ts';
import { createCommandRunner, type CommandRunner } from '../backends/commandRunner.ts';
import type { Clock } from '../clock.ts';
import type { TunnelReportOf } from './cutTunnels.ts';
import { swanctlAccess, type NodeMeasurement } from './nodeMeasurement.ts';
import type { RerouteTopology } from './reroutePlan.ts';
import { createRerouter, type Rerouter } from './rerouter.ts';
import { startMeasurement } from './startMeasurement.ts';

export interface TunnelsOptions {
  backend: BackendConfig;
  selfRootId: number | undefined;
  /** Holds the rerouted connections file. */
  dataDir: string;
  /** The deployed overlay's topology; undefined before a deploy that carries one. */
  overlay: () => DeployOverlay['topology'] | undefined;
  /** What this node's status book says of a node (another root's tunnels, from its heartbeats). */
  statusOf: (node: string) => NodeStatus | undefined;
  /** True while a deploy applies. */
  busy: () => boolean;
  /** A measurement that differs from the last: worth a heartbeat now. */
  onMeasured: () => void;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  log: AgentLog;
  runner?: CommandRunner;
}

export interface Tunnels {
  start(): void;
  stop(): void;
  /** What the last measurement told, for the heartbeat. */
  latest(): NodeMeasurement;
  /** A heartbeat was recorded: another root's tunnel states may have changed. */
  heard(): void;
  /** A deploy applied (or rolled back) its own configuration. */
  deployed(): void;
}

/** The overlay's roots with their probe addresses (each root's uplink server address, planAddresses), kept per topology. */
function rerouteTopologyOf(): (topology: DeployOverlay['topology'] | undefined) => RerouteTopology | undefined {
  let last: { from: DeployOverlay['topology']; to: RerouteTopology } | undefined;
  return (topology) => {
    if (topology === undefined) return undefined;
    if (last?.from !== topology) {
      last = { from: topology, to: { roots: topology.roots.map((r) => ({ id: r.id, overlay: r.overlay, probeAddress: planRoot(r).uplinkServerAddress })), tunnels: topology.tunnels } };
    }
    return last.to;
  };
}

export function startTunnels(options: TunnelsOptions): Tunnels {
  const { backend, selfRootId, clock, log } = options;
  const runner = options.runner ?? createCommandRunner(clock);
  const topologyOf = rerouteTopologyOf();
  const overlay = () => topologyOf(options.overlay());
  let rerouter: Rerouter | undefined;
  const measurement = startMeasurement({
    backend,
    selfRootId,
    clock,
    runner,
    log,
    probeAddresses: () => {
      const topology = overlay();
      return topology && new Map(topology.roots.map((r) => [r.id, r.probeAddress]));
    },
    onChange: () => {
      options.onMeasured();
      rerouter?.update();
    },
  });

  // This root's own tunnels as it measures them; another root's as its last fresh heartbeat said.
  const reportOf: TunnelReportOf = (root, peer) => {
    if (root === selfRootId) return measurement.latest().tunnels?.find((t) => t.peer === peer)?.state;
    const status = options.statusOf(rootNodeName(root));
    return status === undefined || status.state === 'down' ? undefined : status.tunnels?.find((t) => t.peer === peer)?.state;
  };

  if (backend.kind === 'linux' && selfRootId !== undefined) {
    const deployedPath = join(backend.root, 'swanctl', 'swanctl.conf');
    const reroutedPath = join(options.dataDir, 'rerouted-swanctl.conf');
    rerouter = createRerouter({
      selfRootId,
      swanctl: swanctlAccess(backend, runner),
      files: {
        deployedPath,
        readDeployed: () => readFile(deployedPath, 'utf8'),
        writeRerouted: async (text) => (await writeFileAtomic(reroutedPath, text, 0o600), reroutedPath),
      },
      overlay,
      reportOf,
      busy: options.busy,
      clock,
      log,
    });
  }

  return {
    start: measurement.start,
    stop() {
      measurement.stop();
      rerouter?.stop();
    },
    latest: measurement.latest,
    heard: () => rerouter?.update(),
    deployed: () => rerouter?.deployed(),
  };
}
