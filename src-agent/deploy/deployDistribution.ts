// Carries deploy packages through the overlay (seed §9.1.1): the entry root takes the package and floods `deploy`,
// every node fetches it from the neighbour that told it (`get_deploy`), serves it on, and hands it to its deploy engine.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { DeployPackageSchema, verifyDeployDigest } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { FloodMessageOf, MessageBody, MessageType } from '../../src-shared/protocol/messages.ts';
import { fromTheFuture } from './deployEngine.ts';
import type { DeployEngine } from './deployEngine.ts';
import type { PackageStore } from './packageStore.ts';
import { readJsonBody } from '../wire/readBody.ts';
import { Refusal } from '../wire/refusal.ts';
import type { JsonHandler, StreamHandler } from '../wire/route.ts';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import { formatProblem, zodProblems } from '../../src-shared/validation/zodProblems.ts';
import type { PeerClient, PeerTarget } from '../wire/peerClient.ts';

/** A get_deploy answer not read by then is given up, so neighbours that stop reading cannot hold every answer slot. */
export const ANSWER_DEADLINE_MS = 120_000;

export interface DeployDistributionOptions {
  self: string;
  /** This node's root id when it is a root (only a root is an entry root). */
  selfRootId: number | undefined;
  engine: DeployEngine;
  store: PackageStore;
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  neighbours(): readonly string[];
  originate<T extends MessageType>(type: T, body: MessageBody<T>): void;
  now(): number;
  maxPackageBytes: number;
  log(event: string, fields: Record<string, unknown>): void;
  /** Told when the package kept (`current`) changes: only after the engine has taken it, so after its status did. */
  onKept?: () => void;
  /** Waits between fetch attempts; the attempts go round the neighbours, the one that told us first. */
  retryMs?: number;
  attempts?: number;
  /** How many packages may be fetched at once (default 4); an announcement beyond that is let go, and logged. */
  maxFetches?: number;
  /** How many get_deploy answers may be in flight at once (default 8); beyond that a neighbour is told to ask again. */
  maxAnswers?: number;
}

export interface DeployDistribution {
  /** Loads the stored package, so this node can serve it after a restart. */
  start(): Promise<void>;
  /** Its routes of the API table. */
  handlers(): { deploy: JsonHandler<'deploy'>; getDeploy: StreamHandler; confirmDeploy: JsonHandler<'confirmDeploy'> };
  onDeploy(message: FloodMessageOf<'deploy'>, from: string | null): void;
  onConfirm(message: FloodMessageOf<'confirm_deploy'>): void;
  /** The stored package whose part is in effect here, if any (client enrollment reads its files). */
  current(): DeployPackage | undefined;
  /** Resolves when the fetches and engine calls started so far are done. */
  settled(): Promise<void>;
}

export function createDeployDistribution(options: DeployDistributionOptions): DeployDistribution {
  const { engine, store, client, log } = options;
  const retryMs = options.retryMs ?? 2_000;
  const attempts = options.attempts ?? 10;
  const maxFetches = options.maxFetches ?? 4;
  const maxAnswers = options.maxAnswers ?? 8;
  /** The newest package the engine did not refuse: the one stored, and served. */
  let current: DeployPackage | undefined;
  /**
   * Packages being fetched, or being decided on by the engine, by digest: a neighbour asking for one meanwhile is
   * served it (or waits for the fetch), and a second announcement of it starts nothing.
   */
  const inFlight = new Map<string, Promise<DeployPackage | undefined>>();
  let fetches = 0;
  let answers = 0;
  /** Each package held is serialised once, however many neighbours ask for it. */
  const serialised = new WeakMap<DeployPackage, Buffer>();
  const bytesOf = (pkg: DeployPackage) => {
    let bytes = serialised.get(pkg);
    if (!bytes) serialised.set(pkg, (bytes = Buffer.from(JSON.stringify(pkg))));
    return bytes;
  };
  /** Topologies whose deploy reached this node, newest last (a few suffice: deploys come one at a time). */
  const announced: string[] = [];
  const announce = (topologyId: string) => {
    if (announced.includes(topologyId)) return;
    announced.push(topologyId);
    if (announced.length > 16) announced.shift();
  };
  const pending = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>) => {
    const settled = promise.catch(() => undefined).finally(() => pending.delete(settled));
    pending.add(settled);
    return promise;
  };

  /** Hands the package to the engine, and keeps it if the engine did not refuse it and it is newer than the one kept. */
  async function take(pkg: DeployPackage, via: string): Promise<void> {
    const outcome = await engine.receive(pkg);
    log('deploy', { topologyId: pkg.topologyId, via, result: outcome.result, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) });
    if (outcome.result === 'refused') return;
    if (!current || Date.parse(pkg.createdAt) >= Date.parse(current.createdAt)) {
      current = pkg;
      options.onKept?.();
      await store.save(pkg);
    }
  }

  /** Runs `work` with the package marked in flight under its digest (`package_` resolves to it, or to nothing). */
  function hold(digest: string, package_: Promise<DeployPackage | undefined>, work: Promise<void>): void {
    inFlight.set(digest, package_);
    void track(work.finally(() => inFlight.delete(digest)));
  }

  async function answerGetDeploy(request: IncomingMessage): Promise<Buffer> {
    const parsed = agentApi.getDeploy.body.safeParse(await readJsonBody(request, 4096), { reportInput: true });
    if (!parsed.success) throw new Refusal('malformed', zodProblems(parsed.error, 'body').map(formatProblem).join('; '));
    const wanted = parsed.data;
    const matches = (pkg: DeployPackage | undefined): pkg is DeployPackage => pkg?.topologyId === wanted.topologyId && pkg.digest === wanted.digest;
    const pkg = matches(current) ? current : await inFlight.get(wanted.digest);
    if (!matches(pkg)) throw new Refusal('not_found', `no package ${wanted.topologyId} with that digest here`);
    return bytesOf(pkg);
  }

  async function fetchFrom(node: string, body: MessageBody<'deploy'>): Promise<DeployPackage> {
    const target = options.targetOf(node);
    if (!target) throw new Error(`${node} is not a neighbour with an address`);
    const response = await client.request(target, agentApi.getDeploy.method, agentApi.getDeploy.path, { topologyId: body.topologyId, digest: body.digest }, options.maxPackageBytes + 4096);
    if (response.status !== 200) throw new Error(`${node} answered ${response.status}: ${response.body.toString('utf8').slice(0, 200)}`);
    const parsed = DeployPackageSchema.safeParse(JSON.parse(response.body.toString('utf8')));
    if (!parsed.success) throw new Error(`${node} sent a package that is not one: ${parsed.error.issues[0]?.message ?? ''}`);
    const pkg = parsed.data;
    if (pkg.topologyId !== body.topologyId || pkg.digest !== body.digest || !(await verifyDeployDigest(pkg))) {
      throw new Error(`${node} sent a package that does not match the announced digest`);
    }
    return pkg;
  }

  async function fetchPackage(body: MessageBody<'deploy'>, from: string | null): Promise<DeployPackage | undefined> {
    const order = [...new Set([...(from ? [from] : []), ...options.neighbours()])];
    let lastError = 'no neighbour to fetch it from';
    for (let attempt = 0; attempt < attempts && order.length > 0; attempt++) {
      const node = order[attempt % order.length]!;
      try {
        return await fetchFrom(node, body);
      } catch (error) {
        lastError = (error as Error).message;
        await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
      }
    }
    log('deploy_fetch_failed', { topologyId: body.topologyId, reason: lastError });
    return undefined;
  }

  return {
    async start() {
      const loaded = await store.load();
      if (loaded.problem) log('deploy_store_problem', { problem: loaded.problem });
      current = loaded.package;
    },

    handlers: () => ({
      deploy: {
        async handle(_caller, pkg) {
          if (options.selfRootId === undefined) throw new Refusal('forbidden', `${options.self} is a leaf; post the package to a root`);
          if (pkg.entryRootId !== options.selfRootId) throw new Refusal('conflict', `the package names root ${pkg.entryRootId} as its entry root, but this is ${options.self}`);
          if (!(await verifyDeployDigest(pkg))) throw new Refusal('malformed', 'digest mismatch: the package was altered or damaged on its way');
          const future = fromTheFuture(pkg, options.now());
          if (future) throw new Refusal('conflict', future);
          if (current && Date.parse(pkg.createdAt) < Date.parse(current.createdAt)) {
            throw new Refusal('conflict', `stale: older than topology ${current.topologyId}, which this node already has`);
          }
          if (inFlight.has(pkg.digest)) throw new Refusal('conflict', `topology ${pkg.topologyId} is being deployed already`);
          announce(pkg.topologyId);
          // Flood first, apply after: the other nodes need not wait for this node's backend; they fetch the package
          // from here while the engine works on it.
          hold(pkg.digest, Promise.resolve(pkg), take(pkg, 'application').catch((error: unknown) => log('deploy_error', { topologyId: pkg.topologyId, error: String(error) })));
          options.originate('deploy', { topologyId: pkg.topologyId, digest: pkg.digest, size: bytesOf(pkg).length, confirmBy: options.now() + pkg.deadlineMs });
          return { status: 202, json: { topologyId: pkg.topologyId, digest: pkg.digest } };
        },
      },
      getDeploy: {
        // A stream handler, to know when an answer is out: each holds the package's bytes until the neighbour has read them.
        stream(_caller, request, response) {
          if (answers >= maxAnswers) throw new Refusal('unavailable', `${answers} packages are being sent already; ask again shortly`);
          answers++;
          const deadline = setTimeout(() => response.destroy(), ANSWER_DEADLINE_MS).unref();
          response.once('close', () => {
            answers--;
            clearTimeout(deadline);
          });
          answerGetDeploy(request).then(
            (bytes) => send(request, response, 200, bytes),
            (error: unknown) => {
              const refusal = error instanceof Refusal ? error : new Refusal('unavailable', 'internal error');
              if (!(error instanceof Refusal)) log('deploy_serve_error', { error: String(error) });
              send(request, response, refusal.status, Buffer.from(JSON.stringify({ error: refusal.code, reason: refusal.message })));
            },
          );
        },
      },
      confirmDeploy: {
        async handle(_caller, { topologyId }) {
          options.originate('confirm_deploy', { topologyId });
          const outcome = await track(engine.confirm(topologyId));
          return { json: { result: outcome.result, status: outcome.status, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) } };
        },
      },
    }),

    onDeploy(message, from) {
      const body = message.body;
      // Only the administrator, through a root, deploys: a leaf's control certificate must not reconfigure the overlay.
      const entryRootId = rootIdOf(message.origin);
      if (entryRootId === undefined) return log('deploy_ignored', { topologyId: body.topologyId, origin: message.origin, reason: 'only a root originates a deploy' });
      announce(body.topologyId);
      if (current && current.topologyId === body.topologyId && current.digest === body.digest) {
        if (current.entryRootId === entryRootId) void track(engine.receive(current));
        return;
      }
      if (body.size > options.maxPackageBytes || inFlight.has(body.digest)) return;
      if (fetches >= maxFetches) return log('deploy_ignored', { topologyId: body.topologyId, origin: message.origin, reason: `${fetches} packages are being fetched already` });
      fetches++;
      const fetched = fetchPackage(body, from).finally(() => fetches--);
      hold(
        body.digest,
        fetched,
        fetched
          .then((pkg) => {
            if (!pkg) return;
            if (pkg.entryRootId !== entryRootId) {
              log('deploy_ignored', { topologyId: body.topologyId, origin: message.origin, reason: `the package names root ${pkg.entryRootId} as its entry root` });
              return;
            }
            return take(pkg, from ?? 'unknown');
          })
          .catch((error: unknown) => log('deploy_error', { topologyId: body.topologyId, error: String(error) })),
      );
    },

    onConfirm(message) {
      const { topologyId } = message.body;
      if (rootIdOf(message.origin) === undefined) return log('deploy_ignored', { topologyId, origin: message.origin, reason: 'only a root confirms a deploy' });
      // The application confirms a topology only once every node reported it applied, so a node is always told of a
      // deploy before its confirmation; a confirmation of anything else is not for this node and costs it nothing.
      if (current?.topologyId !== topologyId && !announced.includes(topologyId)) return;
      void track(engine.confirm(topologyId)).catch((error: unknown) => log('deploy_error', { topologyId: message.body.topologyId, error: String(error) }));
    },

    current: () => current,
    settled: () => Promise.all([...pending]).then(() => undefined),
  };
}

/** The root id of a message's origin; undefined when the origin is a leaf. */
function rootIdOf(origin: string): number | undefined {
  const name = parseNodeName(origin);
  return name?.role === 'root' ? name.rootId : undefined;
}

/** Slices of the shared bytes handed to the socket at a time: only what the neighbour is reading gets encrypted and buffered. */
const SEND_CHUNK_BYTES = 64 * 1024;

/** Answers a get_deploy; a neighbour gone meanwhile gets nothing, and a refusal before the body was read closes the connection. */
function send(request: IncomingMessage, response: ServerResponse, status: number, bytes: Buffer): void {
  if (response.destroyed) return;
  if (!request.complete) response.setHeader('connection', 'close');
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  let offset = 0;
  const pump = () => {
    while (offset < bytes.length) {
      const chunk = bytes.subarray(offset, (offset += SEND_CHUNK_BYTES));
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    response.end();
  };
  pump();
}
