// The deploy feature on one agent, started in one call: the engine on this node's backend, the distribution of packages
// through the overlay, and what the agent serves of them (routes and flood message handlers).
import path from 'node:path';
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { FloodMessageOf, MessageBody, MessageType } from '../../src-shared/protocol/messages.ts';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import type { Backend } from '../backends/types.ts';
import type { Clock } from '../clock.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';
import { createDeployDistribution, type DeployDistribution, type TakeThrough } from './deployDistribution.ts';
import { createDeployEngine, type DeployEngine } from './deployEngine.ts';
import type { DeployHandlers } from './deployRoutes.ts';
import { DeployStateSchema } from './deployState.ts';
import { createDigestCheck } from './digestCheck.ts';
import { packageStore } from './packageStore.ts';

export interface DeployDeps {
  self: string;
  /** This node's root id when it is a root. */
  selfRootId: number | undefined;
  backend: Backend;
  /** This node's identity key, to open the secrets sealed to it. */
  openingKey: OpeningKey;
  /** The agent's data folder: the deploy state and the packages kept are files in it. */
  dataDir: string;
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  neighbours(): readonly string[];
  originate<T extends MessageType>(type: T, body: MessageBody<T>): void;
  clock: Clock;
  maxPackageBytes: number;
  /** The flood's line limit (the agent's maxBodyBytes). */
  maxLineBytes?: number;
  log(event: string, fields?: Record<string, unknown>): void;
  /** Told every deploy status, with the package in effect then (it changes only with a status); once more when started. */
  onStatus?: (status: DeployStatus, current: DeployPackage | undefined) => void;
  /** Hands each package taken to the engine by way of whoever must see it taken (the topology neighbours). */
  through?: TakeThrough;
}

export interface Deploy {
  engine: DeployEngine;
  distribution: DeployDistribution;
  handlers: DeployHandlers;
  messageHandlers: {
    deploy(message: FloodMessageOf<'deploy'>, from: string | null): void;
    confirm_deploy(message: FloodMessageOf<'confirm_deploy'>): void;
  };
  /** Cancels the engine's timer; the state on disk keeps its deadline for the next start. */
  stop(): void;
  /** Resolves when the fetches and engine calls started so far are done. */
  settled(): Promise<void>;
}

/**
 * Loads the packages kept and the deploy state. The engine's start brings the backend up: on the configuration in
 * effect, or by rolling back what a restart interrupted (which restores and starts the daemons on what it restores).
 */
export async function startDeploy(deps: DeployDeps): Promise<Deploy> {
  const file = (base: string) => path.join(deps.dataDir, base);
  const { log } = deps;
  const checkDigest = createDigestCheck();
  const engine = createDeployEngine({
    nodeName: deps.self,
    backend: deps.backend,
    openingKey: deps.openingKey,
    store: jsonStateFile(file('deploy-state.json'), DeployStateSchema),
    clock: deps.clock,
    checkDigest,
    // The distribution exists by the time the engine reports anything: from its start, after the packages are loaded.
    // What the engine runs changes only with a status: the packages kept follow it.
    onStatus: (status) => {
      distribution.tidy();
      deps.onStatus?.(status, distribution.current());
    },
    log: (message) => log('deploy_engine', { message }),
    onBackendCall: (call, topologyId) => log('deploy_backend', { call, topologyId }),
  });
  const distribution = createDeployDistribution({
    self: deps.self,
    selfRootId: deps.selfRootId,
    engine,
    store: packageStore(file('deploy-packages')),
    client: deps.client,
    targetOf: deps.targetOf,
    neighbours: deps.neighbours,
    originate: deps.originate,
    clock: deps.clock,
    maxPackageBytes: deps.maxPackageBytes,
    ...(deps.maxLineBytes === undefined ? {} : { maxLineBytes: deps.maxLineBytes }),
    log,
    checkDigest,
    through: deps.through,
  });

  await distribution.start();
  const started = await engine.start();
  if (started.problem) log('deploy_state_problem', { problem: started.problem });
  distribution.tidy();
  deps.onStatus?.(engine.status(), distribution.current());

  return {
    engine,
    distribution,
    handlers: distribution.handlers(),
    messageHandlers: {
      deploy: (message, from) => distribution.onDeploy(message, from),
      confirm_deploy: (message) => distribution.onConfirm(message),
    },
    stop: () => engine.stop(),
    settled: () => distribution.settled(),
  };
}
