// The agent assembled: identity, HTTPS server and peer client, flood router and sender, and the modules they feed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { importOpeningKey } from '../src-shared/crypto/seal.ts';
import { rootNodeName } from '../src-shared/plan/nodeNames.ts';
import { parseNodeName } from '../src-shared/plan/nodeNames.ts';
import type { FloodMessage, HeartbeatBody } from '../src-shared/protocol/messages.ts';
import { createDeployEngine } from './deploy/deployEngine.ts';
import { DeployStateSchema } from './deploy/deployState.ts';
import { packageStore } from './deploy/packageStore.ts';
import { createBackend } from './backends/createBackend.ts';
import type { AgentConfig } from './config/agentConfig.ts';
import { createMessageSigner, createMessageVerifier } from './flood/messageSignature.ts';
import type { Clock } from './clock.ts';
import { overlayShouldSend } from './flood/forwardPolicy.ts';
import { createFloodRouter } from './flood/router.ts';
import { createSeenSet } from './flood/seenSet.ts';
import { SeenSetFileSchema } from './flood/seenSetFile.ts';
import { createSender } from './flood/sender.ts';
import { createSeqCounter } from './flood/seqCounter.ts';
import { clientEnrollmentHandlers } from './enroll/clientEnrollment.ts';
import { deployedMaterial } from './enroll/deployedMaterial.ts';
import { EnrollmentTokensFileSchema, createEnrollmentTokens } from './enroll/enrollmentTokens.ts';
import { createHeartbeatEmitter } from './heartbeat/heartbeatEmitter.ts';
import { ownReport } from './heartbeat/ownReport.ts';
import { createKnownRoots, KnownRootsFileSchema } from './heartbeat/knownRoots.ts';
import { createStatusBook } from './heartbeat/statusBook.ts';
import { loadIdentity } from './identity/identityStore.ts';
import { messageSeqFile } from './identity/messageSeqFile.ts';
import { createNodeCertificates } from './identity/nodeCertificates.ts';
import { createAdminLock } from './administrator/adminLock.ts';
import { credentialOf, storedCredentialSchema } from './administrator/credentialRecord.ts';
import { createLoginRateLimiter } from './administrator/loginRateLimiter.ts';
import { createAdministration } from './administrator/administration.ts';
import { createAgentServer } from './wire/agentServer.ts';
import { RefusalCounter } from './wire/refusal.ts';
import type { AllHandlers, JsonHandler } from './wire/route.ts';
import { Refusal } from './wire/refusal.ts';
import { createHandledLog, testingHandlers } from './flood/testingHandlers.ts';
import { jsonStateFile } from '../src-node/jsonStateFile.ts';
import { createDeployDistribution } from './deploy/deployDistribution.ts';
import { createFloodStreams } from './wire/floodStreamClient.ts';
import { floodStreamHandler } from './wire/floodStreamServer.ts';
import { createNeighbourTable } from './neighbours/neighbourTable.ts';
import { createTopologyNeighbours, TopologyNeighboursFileSchema } from './neighbours/topologyNeighbours.ts';
import { createPeerClient } from './wire/peerClient.ts';

export type AgentLog = (event: string, fields?: Record<string, unknown>) => void;

export interface RunningAgent {
  node: string;
  port: number;
  /** Takes what can change while running from a re-read configuration: the neighbours. */
  reload(config: AgentConfig): void;
  stop(): Promise<void>;
}

/** How often the administrator lock checks idle expiry, login timeouts and resends. */
const LOCK_TICK_MS = 1_000;

export async function startAgent(config: AgentConfig, log: AgentLog, clock: Clock): Promise<RunningAgent> {
  const self = config.node;
  const name = parseNodeName(self)!;
  const rootId = name.role === 'root' ? name.rootId : undefined;
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const file = (base: string) => path.join(config.dataDir, base);
  const identity = await loadIdentity(config.dataDir, self);
  const refusals = new RefusalCounter();

  // --- flooding: who signs as whom, our neighbours, the router and its sender
  const certificates = createNodeCertificates(identity.ca, clock.now);
  const own = certificates.learn(identity.certPem);
  if ('refused' in own) throw new Error(`own certificate: ${own.refused}`);
  const neighbours = createNeighbourTable(config.neighbours);
  const client = createPeerClient({ keyPem: identity.keyPem, certPem: identity.certPem, caPem: identity.caPem, timeoutMs: 10_000, defaultMaxBytes: config.maxBodyBytes });
  const streams = createFloodStreams({ client, targetOf: neighbours.target, certificates, ackTimeoutMs: 10_000, clock });
  const sender = createSender({ transport: streams.deliver, clock });
  const seq = createSeqCounter(messageSeqFile(config.dataDir));
  const handled = config.testing ? createHandledLog() : undefined;
  // The seen-set outlives a restart (saved on stop): otherwise a restarted node would take again, as new, any message
  // of the last ten minutes that a neighbour replays to it.
  const seenFile = jsonStateFile(file('seen-messages.json'), SeenSetFileSchema);
  const seenRead = await seenFile.load();
  if (seenRead.kind === 'corrupt') log('seen_set_corrupt', { reason: seenRead.reason, keptAs: seenRead.keptAs });
  const seen = createSeenSet({ now: clock.now, restored: seenRead.kind === 'ok' ? seenRead.value.entries : [] });
  // The modules below are made after the router, which needs their handlers: it reaches them through this.
  const messageHandlers: { [T in FloodMessage['type']]?: (message: Extract<FloodMessage, { type: T }>, from: string | null) => void } = {};
  const router = createFloodRouter({
    self,
    seen,
    neighbours: neighbours.names,
    verify: createMessageVerifier(certificates.publicKeyOf),
    sign: createMessageSigner(identity.key),
    nextSeq: () => seq.next(),
    now: clock.now,
    handle: (message, from) => {
      handled?.record(message.id);
      (messageHandlers[message.type] as ((m: FloodMessage, f: string | null) => void) | undefined)?.(message, from);
    },
    send: (to, message) => sender.send(to, message),
    shouldSend: overlayShouldSend,
    onHandlerError: (error, message) => log('handler_error', { id: message.id, type: message.type, error: String(error) }),
  });

  // --- status: heartbeats in and out
  const knownRoots = createKnownRoots(jsonStateFile(file('known-roots.json'), KnownRootsFileSchema), (error) => log('known_roots_store_failed', { error: String(error) }));
  const remembered = await knownRoots.load();
  if (remembered.problem) log('known_roots_problem', { problem: remembered.problem });
  const book = createStatusBook({
    self,
    now: clock.now,
    intervalMs: config.heartbeatIntervalMs,
    remembered: remembered.roots,
    onRootsChanged: (roots) => knownRoots.keep(roots),
  });
  messageHandlers.heartbeat = (message) => book.record(message);

  // --- deploy: the engine on this node's backend, and the distribution of packages through the overlay
  const backend = createBackend(config.backend);
  const openingKey = await importOpeningKey(identity.keyPem);
  const engine = createDeployEngine({
    nodeName: self,
    backend,
    openingKey,
    store: jsonStateFile(file('deploy-state.json'), DeployStateSchema),
    onStatus: (status) => {
      topologyNeighbours.follow(status);
      expectOverlayNodes();
    },
    log: (message) => log('deploy_engine', { message }),
  });
  const distribution = createDeployDistribution({
    self,
    selfRootId: rootId,
    // A package's neighbours are kept as the engine takes it, so its status can put them in effect.
    engine: { ...engine, receive: (pkg) => topologyNeighbours.receive(pkg, engine.receive) },
    store: packageStore(file('deploy-package.json')),
    client,
    targetOf: neighbours.target,
    neighbours: neighbours.names,
    originate: (type, body) => router.originate(type, body),
    now: clock.now,
    maxPackageBytes: config.maxPackageBytes,
    log: (event, fields) => log(event, fields),
    onKept: () => expectOverlayNodes(),
  });
  messageHandlers.deploy = (message, from) => distribution.onDeploy(message, from);
  messageHandlers.confirm_deploy = (message) => distribution.onConfirm(message);
  // The deployed topology's nodes and this node's neighbours: known from the start, so pending until heard or down.
  const expectOverlayNodes = () => book.expect([...Object.keys(distribution.current()?.nodes ?? {}), ...neighbours.names()]);
  const topologyNeighbours = createTopologyNeighbours({
    self,
    table: neighbours,
    configured: config.neighbours,
    store: jsonStateFile(file('topology-neighbours.json'), TopologyNeighboursFileSchema),
    log,
  });
  const neighboursProblem = await topologyNeighbours.load();
  if (neighboursProblem) log('topology_neighbours_problem', { problem: neighboursProblem });
  await distribution.start();
  const started = await engine.start();
  if (started.problem) log('deploy_state_problem', { problem: started.problem });
  topologyNeighbours.follow(engine.status());
  expectOverlayNodes();
  await backend.resume().catch((error: unknown) => log('backend_resume_failed', { error: String(error) }));

  const emitter = createHeartbeatEmitter({
    book,
    clock,
    intervalMs: config.heartbeatIntervalMs,
    isRoot: rootId !== undefined,
    ownReport: () => ownReport(engine.status()),
    credential: () => administration?.credentialRecord(),
    originate: (body: HeartbeatBody) => router.originate('heartbeat', body),
    onError: (error) => log('heartbeat_error', { error: String(error) }),
  });

  // --- the administrator lock, at roots only
  const lock =
    rootId === undefined
      ? undefined
      : createAdminLock({ selfRootId: rootId, now: clock.now, liveRoots: () => book.liveRoots(), heardFrom: (node) => book.heardFrom(node), flood: (type, body) => router.originate(type, body), idleMs: config.adminIdleMs });
  const administration =
    lock &&
    createAdministration({
      lock,
      limiter: createLoginRateLimiter({ now: clock.now }),
      credentialStore: jsonStateFile(file('admin-credential.json'), storedCredentialSchema(rootId!)),
      log: (event, fields) => log(event, fields),
      selfRootId: rootId!,
      now: clock.now,
      unheardRoots: () => book.unheardRoots(),
      onCredentialChanged: () => emitter.beat(),
    });
  if (lock && administration) {
    await administration.start();
    messageHandlers.heartbeat = (message) => {
      book.record(message);
      const received = credentialOf(message);
      if (received) administration.learn(received);
    };
    messageHandlers.i_have_administrator = (message) => lock.receive(message);
    messageHandlers.acknowledge_administrator = (message) => lock.receive(message);
    messageHandlers.i_lost_administrator = (message) => lock.receive(message);
  }
  const lockTimer = lock && clock.setInterval(() => lock.tick(), LOCK_TICK_MS);

  // --- client enrollment: a root checks tokens and signs; a leaf passes requests to its root
  const tokens = rootId === undefined ? undefined : createEnrollmentTokens({ store: jsonStateFile(file('enrollment-tokens.json'), EnrollmentTokensFileSchema), now: clock.now });
  const tokenProblem = await tokens?.start();
  if (tokenProblem) log('enrollment_tokens_problem', { problem: tokenProblem });
  const enrollment = clientEnrollmentHandlers({
    self,
    rootId: name.rootId,
    role: name.role,
    tokens,
    material: deployedMaterial({ self, role: name.role, openingKey, current: distribution.current, runningDigest: engine.runningDigest }),
    client,
    rootTarget: () => neighbours.target(rootNodeName(name.rootId)),
    limiter: createLoginRateLimiter({ now: clock.now }),
    now: clock.now,
    log: (event, fields) => log(event, fields),
  });

  // Every route of the API table has a handler here (the server refuses to start otherwise); a leaf answers the
  // administrator's and the token routes with why it does not serve them.
  const rootsOnly: JsonHandler<never> = rootOnly(self);
  const handlers: AllHandlers = {
    flood: floodStreamHandler({ router, certificates, refusals, maxLineBytes: config.maxBodyBytes, clock }),
    status: { handle: () => ({ json: book.snapshot() }) },
    ...(administration?.handlers() ?? { login: rootsOnly, loginProgress: rootsOnly, logout: rootsOnly }),
    ...distribution.handlers(),
    peerEnroll: rootsOnly,
    createEnrollmentToken: rootsOnly,
    listEnrollmentTokens: rootsOnly,
    revokeEnrollmentToken: rootsOnly,
    ...enrollment,
    ...(handled ? testingHandlers(router, sender, handled, refusals) : {}),
  };
  const server = createAgentServer({
    keyPem: identity.keyPem,
    certPem: identity.certPem,
    caPem: identity.caPem,
    handlers,
    limits: { message: config.maxBodyBytes, package: config.maxPackageBytes },
    testing: config.testing,
    isNeighbour: neighbours.has,
    isSession: (token) => administration?.isSession(token) ?? false,
    refusals,
    clock,
    logError: (message) => log('internal_error', { message }),
  });
  const port = await server.listen(config.listen.host, config.listen.port);
  emitter.start();
  log('listening', { node: self, host: config.listen.host, port });

  return {
    node: self,
    port,
    reload(next) {
      topologyNeighbours.configure(next.neighbours);
      expectOverlayNodes();
      log('reloaded', { neighbours: neighbours.names().length });
    },
    async stop() {
      emitter.stop();
      if (lockTimer) clock.clearTimeout(lockTimer);
      engine.stop();
      sender.close();
      streams.close();
      client.close();
      await server.close();
      await seenFile.save({ version: 1, entries: seen.entries() }).catch((error: unknown) => log('seen_set_save_failed', { error: String(error) }));
      await distribution.settled();
      await Promise.all([topologyNeighbours.settled(), knownRoots.settled()]);
    },
  };
}

/** A route only roots serve (a leaf has no administrator lock and no enrollment tokens), as a leaf answers it. */
function rootOnly(self: string): JsonHandler<never> {
  return {
    handle() {
      throw new Refusal('not_found', `${self} is a leaf: only roots serve this; ask its root`);
    },
  };
}
