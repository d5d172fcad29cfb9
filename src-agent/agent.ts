// The agent composed: each feature starts from its own folder (flooding, neighbours, status and heartbeats, deploy, the
// administrator, the audit trail, the administrator's state, enrollment); this file wires them to one another and
// serves their routes over HTTPS.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { importOpeningKey } from '../src-shared/crypto/seal.ts';
import { parseNodeName } from '../src-shared/plan/nodeNames.ts';
import { DEFAULT_BODY_LIMITS } from '../src-shared/protocol/agentApi.ts';
import { packageNodeNames, type DeployPackage } from '../src-shared/protocol/deployPackage.ts';
import { createIdentityRenewal } from './identity/identityRenewal.ts';
import { startDeploy } from './deploy/startDeploy.ts';
import { createBackend } from './backends/createBackend.ts';
import { jsonStateFile } from '../src-node/jsonStateFile.ts';
import type { AgentLog } from './agentLog.ts';
import { createRateLimitedLog } from './rateLimitedLog.ts';
import type { Clock } from './clock.ts';
import type { AgentConfig } from './config/agentConfig.ts';
import { storedCredentialSchema } from './administrator/credentialRecord.ts';
import { createHeldCredential } from './administrator/heldCredential.ts';
import { startAdministrator } from './administrator/startAdministrator.ts';
import { startAdminState } from './adminState/startAdminState.ts';
import { startAudit } from './audit/startAudit.ts';
import { startEnrollment } from './enroll/startEnrollment.ts';
import { startFlooding } from './flood/startFlooding.ts';
import type { MessageHandlers } from './flood/startFlooding.ts';
import { createHeartbeatEmitter } from './heartbeat/heartbeatEmitter.ts';
import { ownReport } from './heartbeat/ownReport.ts';
import { startStatus } from './heartbeat/startStatus.ts';
import { startTunnels } from './tunnels/startTunnels.ts';
import { loadIdentity } from './identity/identityStore.ts';
import { startNeighbours } from './neighbours/startNeighbours.ts';
import { createAgentServer } from './wire/agentServer.ts';
import { withinOpenFiles } from './wire/connectionGuard.ts';
import { openFileLimit } from './wire/openFileLimit.ts';
import { createPeerClient } from './wire/peerClient.ts';
import { RefusalCounter } from './wire/refusal.ts';
import type { AllHandlers } from './wire/route.ts';
import { rootsOnly } from './wire/rootsOnly.ts';

export interface RunningAgent {
  node: string;
  port: number;
  /** Takes what can change while running from a re-read configuration: the neighbours. */
  reload(config: AgentConfig): void;
  stop(): Promise<void>;
}

export async function startAgent(config: AgentConfig, output: AgentLog, clock: Clock): Promise<RunningAgent> {
  // Every feature logs through the bound: what a peer can make happen often must not fill the disk.
  const logLimit = createRateLimitedLog(output, { clock });
  const log = logLimit.log;
  const self = config.node;
  const name = parseNodeName(self)!;
  const rootId = name.role === 'root' ? name.rootId : undefined;
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const file = (base: string) => path.join(config.dataDir, base);
  const identity = await loadIdentity(config.dataDir, self);
  const refusals = new RefusalCounter();

  const { table: neighbours, topology: topologyNeighbours } = await startNeighbours({ self, configured: config.neighbours, addresses: config.addresses, dataDir: config.dataDir, log });
  const client = createPeerClient({ keyPem: identity.keyPem, certPem: identity.certPem, caPem: identity.caPem, timeoutMs: 10_000, defaultMaxBytes: config.maxBodyBytes });

  // The router hands each message it accepts to the handler of its type. The features that handle them flood through
  // the router, so they start after it and set their handlers in this table, once each.
  const messageHandlers: MessageHandlers = {};
  const flooding = await startFlooding({ self, identity, neighbours, client, clock, dataDir: config.dataDir, messageHandlers, refusals, maxLineBytes: config.maxBodyBytes, testing: config.testing, log });
  const { router } = flooding;

  // --- status: what this node knows of every node, from heartbeats
  const status = await startStatus({ self, clock, intervalMs: config.heartbeatIntervalMs, dataDir: config.dataDir, log });
  const { book } = status;

  // --- heartbeats out, a root's carrying the administrator credential it holds; heartbeats in, with another root's
  const credential = rootId === undefined ? undefined : createHeldCredential({ store: jsonStateFile(file('admin-credential.json'), storedCredentialSchema(rootId)), selfRootId: rootId, now: clock.now, log });
  await credential?.start();
  // The server below takes a renewed certificate once it exists; until then the one stored is used from the next start.
  let serveWith: (certPem: string) => void = () => undefined;
  const renewIdentity = createIdentityRenewal({
    identity,
    dataDir: config.dataDir,
    use: (certPem) => {
      client.replaceCertificate(certPem);
      flooding.renewCertificate(certPem);
      serveWith(certPem);
    },
    now: clock.now,
    log,
  });
  // The package in effect, once the deploy below has started: its engine tells its first status while it starts.
  let inEffect: () => DeployPackage | undefined = () => undefined;
  // What the backend measures (tunnels, clients), read on its own timer, a change told at once; a root reroutes around cut tunnels.
  const tunnels = startTunnels({
    backend: config.backend,
    selfRootId: rootId,
    dataDir: config.dataDir,
    overlay: () => inEffect()?.overlay?.topology,
    statusOf: (node) => book.statusOf(node),
    busy: () => engine.status().state === 'deploying',
    onMeasured: () => heartbeats.soon(),
    clock,
    log,
  });
  const heartbeats = createHeartbeatEmitter({
    book,
    clock,
    intervalMs: config.heartbeatIntervalMs,
    isRoot: rootId !== undefined,
    // The deploy engine starts below; nothing beats before start() at the end.
    ownReport: () => ownReport(deploy.engine.status(), tunnels.latest()),
    credential: () => credential?.current(),
    originate: (body) => router.originate('heartbeat', body),
    onError: (error) => log('heartbeat_error', { error: String(error) }),
  });

  // --- deploy: the engine on this node's backend, and the distribution of packages through the overlay
  const openingKey = await importOpeningKey(identity.keyPem);
  // The deployed topology's nodes and this node's neighbours: known from the start, so pending until heard or down.
  const expectOverlayNodes = (kept: DeployPackage | undefined) => book.expect([...(kept ? packageNodeNames(kept) : []), ...neighbours.names()]);
  const deploy = await startDeploy({
    self,
    selfRootId: rootId,
    backend: createBackend(config.backend, clock),
    openingKey,
    dataDir: config.dataDir,
    client,
    targetOf: neighbours.target,
    neighbours: neighbours.names,
    originate: (type, body) => router.originate(type, body),
    clock,
    maxPackageBytes: config.maxPackageBytes,
    maxLineBytes: config.maxBodyBytes,
    log,
    onStatus: (status, kept) => {
      topologyNeighbours.follow(status);
      expectOverlayNodes(kept);
      // What the application's deploy follows: told at once rather than at the next interval.
      heartbeats.soon();
      tunnels.deployed();
    },
    // A package's neighbours are kept as the engine takes it, so its status can put them in effect; a renewed identity
    // certificate it carries is taken once the engine did not refuse it.
    through: async (pkg, take) => {
      const outcome = await topologyNeighbours.receive(pkg, take);
      if (outcome.result !== 'refused') await renewIdentity(pkg);
      return outcome;
    },
  });
  const { engine, distribution } = deploy;
  inEffect = distribution.current;
  Object.assign(messageHandlers, deploy.messageHandlers);

  // --- the administrator's state, at roots only: put at one root after a deploy, kept by every root
  const adminState =
    rootId === undefined
      ? undefined
      : await startAdminState({ rootId, dataDir: config.dataDir, clock, client, targetOf: neighbours.target, neighbours: neighbours.names, originate: (head) => router.originate('admin_state', head), log });
  Object.assign(messageHandlers, adminState?.messageHandlers);

  messageHandlers.heartbeat = (message) => {
    const leafChanged = book.record(message);
    credential?.learnFrom(message);
    adminState?.onHeartbeat(message);
    tunnels.heard();
    // A leaf's new state (deployed, failed) goes out in this root's summary at once, not an interval later.
    if (leafChanged) heartbeats.soon();
  };

  // --- the audit trail, at roots only: each records what happens at it and keeps what every other root records
  const audit = rootId === undefined ? undefined : await startAudit({ self, rootId, dataDir: config.dataDir, clock, originate: (entry) => router.originate('audit', entry), log });
  Object.assign(messageHandlers, audit?.messageHandlers);

  // --- the administrator, at roots only
  const administrator =
    rootId !== undefined && credential !== undefined
      ? startAdministrator({ rootId, credential, book, flood: (type, body) => router.originate(type, body), clock, idleMs: config.adminIdleMs, beat: () => heartbeats.beat(), ...(audit ? { onLocalLogin: audit.onLocalLogin } : {}) })
      : undefined;
  Object.assign(messageHandlers, administrator?.messageHandlers);

  // --- client enrollment: a root checks tokens and signs, and grants tokens to other roots for the administrator whose
  // lock it holds; a leaf passes requests to its root
  const enrollment = await startEnrollment({
    self,
    rootId: name.rootId,
    role: name.role,
    dataDir: config.dataDir,
    openingKey,
    current: distribution.current,
    runningDigest: engine.runningDigest,
    client,
    targetOf: neighbours.target,
    holder: () => administrator?.holder() ?? null,
    originate: (type, body) => router.originate(type, body),
    clock,
    log,
  });
  Object.assign(messageHandlers, enrollment.messageHandlers);

  // Every route of the API table has a handler here (the server refuses to start otherwise); a leaf answers the
  // administrator's and the token routes with why it does not serve them.
  const leaf = rootsOnly(self);
  const handlers: AllHandlers = {
    ...flooding.handlers,
    ...status.handlers,
    ...(administrator?.handlers ?? { login: leaf, loginProgress: leaf, logout: leaf }),
    ...deploy.handlers,
    ...enrollment.handlers,
    ...(adminState?.handlers ?? { putAdminState: leaf, readAdminState: leaf, adminStateHead: leaf, getAdminState: leaf }),
    // The routes the trail records, wrapped, and its own.
    ...(audit && administrator
      ? audit.routes({ login: administrator.handlers.login, logout: administrator.handlers.logout, deploy: deploy.handlers.deploy, confirmDeploy: deploy.handlers.confirmDeploy }, administrator.userOf)
      : { recordAudit: leaf, readAudit: leaf }),
  };
  const server = createAgentServer({
    keyPem: identity.keyPem,
    certPem: identity.certPem,
    caPem: identity.caPem,
    handlers,
    limits: { small: DEFAULT_BODY_LIMITS.small, message: config.maxBodyBytes, package: config.maxPackageBytes },
    testing: config.testing,
    isNeighbour: neighbours.has,
    isSession: (token) => administrator?.isSession(token) ?? false,
    refusals,
    connections: withinOpenFiles(config.connections, await openFileLimit()),
    clock,
    logError: (message) => log('internal_error', { message }),
  });
  serveWith = (certPem) => server.replaceCertificate(certPem);
  const port = await server.listen(config.listen.host, config.listen.port);
  heartbeats.start();
  tunnels.start();
  log('listening', { node: self, host: config.listen.host, port });

  return {
    node: self,
    port,
    reload(next) {
      topologyNeighbours.configure(next.neighbours, next.addresses);
      expectOverlayNodes(distribution.current());
      log('reloaded', { neighbours: neighbours.names().length });
    },
    async stop() {
      heartbeats.stop();
      tunnels.stop();
      administrator?.stop();
      deploy.stop();
      flooding.close();
      client.close();
      await server.close();
      await flooding.saveSeen();
      await deploy.settled();
      await Promise.all([topologyNeighbours.settled(), status.settled(), audit?.settled(), adminState?.settled()]);
      logLimit.close();
    },
  };
}
