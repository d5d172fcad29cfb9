// Carries deploy packages through the overlay (seed §9.1.1): the entry root takes the package and floods `deploy`,
// every node fetches it from the neighbour that told it (`get_deploy`), serves it on, and hands it to its deploy engine.
import { DeployPackageSchema, verifyDeployDigest } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { ConfirmDeployBodySchema, GetDeployRequestSchema } from '../../src-shared/protocol/messages.ts';
import type { FloodMessageOf, MessageBody, MessageType } from '../../src-shared/protocol/messages.ts';
import type { DeployEngine } from '../apply/deployEngine.ts';
import type { PackageStore } from '../apply/packageStore.ts';
import { Refusal } from '../server/refusal.ts';
import { route } from '../server/route.ts';
import type { Route } from '../server/route.ts';
import type { PeerClient, PeerTarget } from './peerClient.ts';

export const GET_DEPLOY_PATH = '/v1/get-deploy';

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
  /** Waits between fetch attempts; the attempts go round the neighbours, the one that told us first. */
  retryMs?: number;
  attempts?: number;
}

export interface DeployDistribution {
  /** Loads the stored package, so this node can serve it after a restart. */
  start(): Promise<void>;
  routes(): Route[];
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
  let current: DeployPackage | undefined;
  /** Fetches in progress by digest: a neighbour asking for a package we are still fetching waits for it. */
  const fetching = new Map<string, Promise<DeployPackage | undefined>>();
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

  /** Keeps the package if it is newer than the one kept, and hands it to the engine. */
  async function take(pkg: DeployPackage, via: string): Promise<void> {
    if (!current || Date.parse(pkg.createdAt) >= Date.parse(current.createdAt)) {
      current = pkg;
      await store.save(pkg);
    }
    const outcome = await engine.receive(pkg);
    log('deploy', { topologyId: pkg.topologyId, via, result: outcome.result, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) });
  }

  async function fetchFrom(node: string, body: MessageBody<'deploy'>): Promise<DeployPackage> {
    const target = options.targetOf(node);
    if (!target) throw new Error(`${node} is not a neighbour with an address`);
    const response = await client.request(target, 'POST', GET_DEPLOY_PATH, { topologyId: body.topologyId, digest: body.digest }, options.maxPackageBytes + 4096);
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

    routes: () => [
      route({
        method: 'POST',
        path: '/v1/deploy',
        access: ['session'],
        body: DeployPackageSchema,
        maxBytes: options.maxPackageBytes,
        async handle(_caller, pkg) {
          if (options.selfRootId === undefined) throw new Refusal('forbidden', `${options.self} is a leaf; post the package to a root`);
          if (pkg.entryRootId !== options.selfRootId) throw new Refusal('conflict', `the package names root ${pkg.entryRootId} as its entry root, but this is ${options.self}`);
          if (!(await verifyDeployDigest(pkg))) throw new Refusal('malformed', 'digest mismatch: the package was altered or damaged on its way');
          if (current && Date.parse(pkg.createdAt) < Date.parse(current.createdAt)) {
            throw new Refusal('conflict', `stale: older than topology ${current.topologyId}, which this node already has`);
          }
          current = pkg;
          announce(pkg.topologyId);
          await store.save(pkg);
          // Flood first, apply after: the other nodes need not wait for this node's backend.
          options.originate('deploy', { topologyId: pkg.topologyId, digest: pkg.digest, size: JSON.stringify(pkg).length, confirmBy: options.now() + pkg.deadlineMs });
          void track(take(pkg, 'application')).catch((error: unknown) => log('deploy_error', { topologyId: pkg.topologyId, error: String(error) }));
          return { status: 202, json: { topologyId: pkg.topologyId, digest: pkg.digest } };
        },
      }),
      route({
        method: 'POST',
        path: GET_DEPLOY_PATH,
        access: ['neighbour'],
        body: GetDeployRequestSchema,
        async handle(_caller, request) {
          const matches = (pkg: DeployPackage | undefined) => pkg?.topologyId === request.topologyId && pkg.digest === request.digest;
          let pkg = matches(current) ? current : undefined;
          if (!pkg) pkg = await fetching.get(request.digest);
          if (!matches(pkg)) throw new Refusal('not_found', `no package ${request.topologyId} with that digest here`);
          return { bytes: Buffer.from(JSON.stringify(pkg)), contentType: 'application/json' };
        },
      }),
      route({
        method: 'POST',
        path: '/v1/confirm-deploy',
        access: ['session'],
        body: ConfirmDeployBodySchema,
        async handle(_caller, { topologyId }) {
          options.originate('confirm_deploy', { topologyId });
          const outcome = await track(engine.confirm(topologyId));
          return { json: { result: outcome.result, status: outcome.status, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) } };
        },
      }),
    ],

    onDeploy(message, from) {
      const body = message.body;
      announce(body.topologyId);
      if (current && current.topologyId === body.topologyId && current.digest === body.digest) {
        void track(engine.receive(current));
        return;
      }
      if (body.size > options.maxPackageBytes || fetching.has(body.digest)) return;
      const fetched = fetchPackage(body, from);
      fetching.set(body.digest, fetched);
      void track(
        fetched
          .then((pkg) => (pkg ? take(pkg, from ?? 'unknown') : undefined))
          .catch((error: unknown) => log('deploy_error', { topologyId: body.topologyId, error: String(error) }))
          .finally(() => fetching.delete(body.digest)),
      );
    },

    onConfirm(message) {
      // The application confirms a topology only once every node reported it applied, so a node is always told of a
      // deploy before its confirmation; a confirmation of anything else is not for this node and costs it nothing.
      const { topologyId } = message.body;
      if (current?.topologyId !== topologyId && !announced.includes(topologyId)) return;
      void track(engine.confirm(topologyId)).catch((error: unknown) => log('deploy_error', { topologyId: message.body.topologyId, error: String(error) }));
    },

    current: () => current,
    settled: () => Promise.all([...pending]).then(() => undefined),
  };
}
