import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { buildDeployPackage, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { buildUnsignedMessage, type FloodMessageOf, type MessageBody } from '../../src-shared/protocol/messages.ts';
import { CREATED_AT_SKEW_MS, type DeployEngine, type ReceiveResult } from './deployEngine.ts';
import type { PackageStore } from './packageStore.ts';
import { Refusal } from '../wire/refusal.ts';
import type { Caller, StreamHandler } from '../wire/route.ts';
import { createDeployDistribution, type DeployDistributionOptions } from './deployDistribution.ts';
import type { PeerClient, PeerResponse } from '../wire/peerClient.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 0, 0);
const CALLER: Caller = { node: undefined, bearer: 'session-token-0123456789', address: '127.0.0.1' };
const NEIGHBOUR: Caller = { node: 'root-2', bearer: undefined, address: '127.0.0.1' };

const makePackage = (id: string, options: { createdAt?: number; entryRootId?: number; text?: string } = {}) =>
  buildDeployPackage({
    topologyId: id,
    createdAt: new Date(options.createdAt ?? NOW).toISOString(),
    entryRootId: options.entryRootId ?? 1,
    nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': options.text ?? id } } },
    identityKeys: {},
  });

let seq = 0;
function flood<T extends 'deploy' | 'confirm_deploy'>(origin: string, type: T, body: MessageBody<T>): FloodMessageOf<T> {
  return { ...buildUnsignedMessage(origin, ++seq, type, NOW, body), sig: 'A'.repeat(86) } as FloodMessageOf<T>;
}
const announcement = (origin: string, pkg: DeployPackage) => flood(origin, 'deploy', { topologyId: pkg.topologyId, digest: pkg.digest, size: 1000, confirmBy: NOW + 60_000 });

/** A distribution on root-1 with a scripted engine, a memory store, and neighbours that serve `served`. */
function setup(extra: Partial<DeployDistributionOptions> = {}) {
  const received: string[] = [];
  const confirmed: string[] = [];
  const saved: string[] = [];
  const requested: string[] = [];
  const results = new Map<string, ReceiveResult>();
  const served = new Map<string, DeployPackage>();
  let hang = false;
  const engine: DeployEngine = {
    start: () => Promise.reject(new Error('not used')),
    receive: (pkg) => {
      received.push(pkg.topologyId);
      return Promise.resolve({ result: results.get(pkg.topologyId) ?? 'awaiting-confirm', status: { state: 'idle', at: NOW } });
    },
    confirm: (topologyId) => {
      confirmed.push(topologyId);
      return Promise.resolve({ result: 'confirmed', status: { state: 'deployed', at: NOW } });
    },
    status: () => ({ state: 'idle', at: NOW }),
    runningDigest: () => undefined,
    settled: () => Promise.resolve(),
    stop: () => undefined,
  };
  const store: PackageStore = {
    load: () => Promise.resolve({}),
    save: (pkg) => {
      saved.push(pkg.digest);
      return Promise.resolve();
    },
  };
  const client: PeerClient = {
    request: (target, _method, _path, json) => {
      requested.push(target.node);
      if (hang) return new Promise<PeerResponse>(() => undefined);
      const pkg = served.get((json as { digest: string }).digest);
      return Promise.resolve(pkg ? { status: 200, body: Buffer.from(JSON.stringify(pkg)) } : { status: 404, body: Buffer.from('{}') }) as Promise<PeerResponse>;
    },
    open: () => {
      throw new Error('not used');
    },
    close: () => undefined,
  };
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const distribution = createDeployDistribution({
    self: 'root-1',
    selfRootId: 1,
    engine,
    store,
    client,
    targetOf: (node) => ({ node, url: `https://${node}.invalid` }),
    neighbours: () => ['root-2', 'leaf-1-1'],
    originate: () => undefined,
    now: () => NOW,
    maxPackageBytes: 1 << 20,
    log: (event, fields) => logs.push({ event, fields }),
    retryMs: 1,
    attempts: 1,
    ...extra,
  });
  const { deploy: deployRoute, getDeploy: getDeployRoute } = distribution.handlers();
  return {
    distribution,
    received,
    confirmed,
    saved,
    requested,
    results,
    served,
    logs,
    hang: () => (hang = true),
    deploy: (pkg: DeployPackage) => deployRoute.handle(CALLER, pkg),
    getDeploy: (pkg: DeployPackage) => getDeploy(getDeployRoute, pkg),
  };
}

/** Calls the get_deploy stream route with fake request and response; `answer` resolves with what was sent. */
function getDeploy(r: StreamHandler, pkg: DeployPackage) {
  const request = Object.assign(new PassThrough(), { headers: { 'content-type': 'application/json' }, complete: true });
  const events = new EventEmitter();
  let done: (value: { status: number; bytes: Buffer }) => void = () => undefined;
  const answer = new Promise<{ status: number; bytes: Buffer }>((resolve) => (done = resolve));
  let status = 0;
  const chunks: Buffer[] = [];
  const response = Object.assign(events, {
    destroyed: false,
    setHeader: () => undefined,
    writeHead: (code: number) => (status = code),
    write: (chunk: Buffer) => chunks.push(chunk) > 0,
    end: () => done({ status, bytes: Buffer.concat(chunks) }),
    destroy: () => events.emit('close'),
  });
  r.stream(NEIGHBOUR, request as unknown as IncomingMessage, response as unknown as ServerResponse);
  request.end(JSON.stringify({ topologyId: pkg.topologyId, digest: pkg.digest }));
  return { answer, close: () => events.emit('close') };
}

describe('deploy distribution: who may deploy', () => {
  it.each(['leaf-1-1', 'leaf-2-3'])('ignores a deploy and a confirmation that %s originates', async (origin) => {
    const t = setup();
    const pkg = await makePackage('from-a-leaf');
    t.served.set(pkg.digest, pkg);
    t.distribution.onDeploy(announcement(origin, pkg), origin);
    t.distribution.onConfirm(flood(origin, 'confirm_deploy', { topologyId: pkg.topologyId }));
    await t.distribution.settled();
    expect(t.requested).toEqual([]);
    expect(t.received).toEqual([]);
    expect(t.confirmed).toEqual([]);
    expect(t.logs.map((l) => l.fields.reason)).toEqual(['only a root originates a deploy', 'only a root confirms a deploy']);
  });

  it('takes a deploy whose package names its origin as entry root, and a confirmation from a root', async () => {
    const t = setup();
    const pkg = await makePackage('t1', { entryRootId: 2 });
    t.served.set(pkg.digest, pkg);
    t.distribution.onDeploy(announcement('root-2', pkg), 'root-2');
    await t.distribution.settled();
    t.distribution.onConfirm(flood('root-2', 'confirm_deploy', { topologyId: 't1' }));
    await t.distribution.settled();
    expect(t.received).toEqual(['t1']);
    expect(t.confirmed).toEqual(['t1']);
    expect(t.distribution.current()?.digest).toBe(pkg.digest);
  });

  it('ignores a package that names another entry root than the root that announced it', async () => {
    const t = setup();
    const pkg = await makePackage('t1', { entryRootId: 1 });
    t.served.set(pkg.digest, pkg);
    t.distribution.onDeploy(announcement('root-2', pkg), 'root-2');
    await t.distribution.settled();
    expect(t.received).toEqual([]);
    expect(t.distribution.current()).toBeUndefined();
    expect(t.logs.at(-1)?.fields.reason).toBe('the package names root 1 as its entry root');
  });

  it('fetches only so many packages at once', async () => {
    const t = setup({ maxFetches: 2 });
    t.hang();
    for (const id of ['t1', 't2', 't3']) t.distribution.onDeploy(announcement('root-2', await makePackage(id, { entryRootId: 2 })), 'root-2');
    expect(t.requested).toEqual(['root-2', 'root-2']);
    expect(t.logs.at(-1)?.fields.reason).toBe('2 packages are being fetched already');
  });

  it('refuses a package from the future at /v1/deploy', async () => {
    const t = setup();
    await expect(t.deploy(await makePackage('t1', { createdAt: NOW + CREATED_AT_SKEW_MS + 1 }))).rejects.toThrow(/created in the future/);
    expect(await t.deploy(await makePackage('t2', { createdAt: NOW + CREATED_AT_SKEW_MS }))).toMatchObject({ status: 202 });
  });
});

describe('deploy distribution: the package kept', () => {
  it('keeps and serves a package only when the engine did not refuse it', async () => {
    let kept = 0;
    const t = setup({ onKept: () => kept++ });
    const first = await makePackage('t1', { text: 'first' });
    await t.deploy(first);
    await t.distribution.settled();
    const sameIdOtherContent = await makePackage('t1', { text: 'second', createdAt: NOW + 1 });
    t.results.set('t1', 'refused');
    await t.deploy(sameIdOtherContent);
    await t.distribution.settled();
    expect(t.received).toEqual(['t1', 't1']);
    expect(t.saved).toEqual([first.digest]);
    expect(kept).toBe(1);
    expect(t.distribution.current()?.digest).toBe(first.digest);
    expect((await t.getDeploy(sameIdOtherContent).answer).status).toBe(404);
  });
});

describe('deploy distribution: get_deploy', () => {
  it('serialises a package once however many neighbours ask for it', async () => {
    const t = setup();
    const pkg = await makePackage('t1');
    const stringify = vi.spyOn(JSON, 'stringify');
    let serialisations = 0;
    const [a, b] = await (async () => {
      try {
        await t.deploy(pkg);
        await t.distribution.settled();
        return await Promise.all([t.getDeploy(pkg).answer, t.getDeploy(pkg).answer]);
      } finally {
        serialisations = stringify.mock.calls.filter(([value]) => value === pkg).length;
        stringify.mockRestore();
      }
    })();
    expect(a.status).toBe(200);
    expect(JSON.parse(a.bytes.toString('utf8'))).toEqual(pkg);
    expect(b.bytes).toEqual(a.bytes);
    expect(serialisations).toBe(1);
  });

  it('turns a neighbour away while as many answers as allowed are out, and serves it once one is done', async () => {
    const t = setup({ maxAnswers: 1 });
    const pkg = await makePackage('t1');
    await t.deploy(pkg);
    await t.distribution.settled();
    const first = t.getDeploy(pkg);
    expect((await first.answer).status).toBe(200);
    expect(() => t.getDeploy(pkg)).toThrow(Refusal);
    expect(() => t.getDeploy(pkg)).toThrow('1 packages are being sent already; ask again shortly');
    first.close();
    expect((await t.getDeploy(pkg).answer).status).toBe(200);
  });
});
