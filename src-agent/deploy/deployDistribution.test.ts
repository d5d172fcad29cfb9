import { describe, expect, it, vi } from 'vitest';
import { buildDeployPackage, verifyDeployDigest, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { buildUnsignedMessage, type FloodMessageOf, type MessageBody } from '../../src-shared/protocol/messages.ts';
import { createManualClock, settle } from '../clock.ts';
import { CREATED_AT_SKEW_MS, heldOf } from './acceptPackage.ts';
import type { DeployEngine } from './deployEngine.ts';
import type { HeldPackage, PackageRef } from './deployState.ts';
import { createDigestCheck } from './digestCheck.ts';
import type { PackageStore } from './packageStore.ts';
import type { Caller } from '../wire/route.ts';
import { createDeployDistribution, type DeployDistributionOptions } from './deployDistribution.ts';
import { callGetDeploy } from './getDeploy.testkit.ts';
import { packageIndex, selectedParts, withPartsOnly } from '../../src-shared/protocol/packageParts.ts';
import { announcementOf } from './announcements.ts';
import type { PeerClient, PeerResponse } from '../wire/peerClient.ts';

const NOW = Date.UTC(2026, 0, 2, 3, 0, 0);
const CALLER: Caller = { node: undefined, bearer: 'session-token-0123456789', address: '127.0.0.1' };

const makePackage = (id: string, options: { createdAt?: number; entryRootId?: number; text?: string } = {}) =>
  buildDeployPackage({
    topologyId: id,
    createdAt: new Date(options.createdAt ?? NOW).toISOString(),
    entryRootId: options.entryRootId ?? 1,
    nodes: Object.fromEntries(['root-1', `root-${options.entryRootId ?? 1}`].map((node) => [node, { backend: 'dry-run' as const, files: { 'a.conf': options.text ?? id } }])),
    identityKeys: {},
  });

let seq = 0;
function flood<T extends 'deploy' | 'confirm_deploy'>(origin: string, type: T, body: MessageBody<T>): FloodMessageOf<T> {
  return { ...buildUnsignedMessage(origin, ++seq, type, NOW, body), sig: 'A'.repeat(86) } as FloodMessageOf<T>;
}
const announcement = (origin: string, pkg: DeployPackage, confirmBy = NOW + 60_000) => flood(origin, 'deploy', { topologyId: pkg.topologyId, digest: pkg.digest, size: 1000, confirmBy });

/**
 * A distribution on root-1 with an engine that holds what it is given to take (as the real one) and runs it unless told
 * to fail, a memory store, and neighbours that serve `served`.
 */
function setup(extra: Partial<DeployDistributionOptions> = {}) {
  const received: string[] = [];
  const unchanged: string[] = [];
  const confirmed: string[] = [];
  const saved: string[] = [];
  const removed: string[] = [];
  /** Whether each package the engine took was stored by then. */
  const storedWhenTaken: boolean[] = [];
  const requested: string[] = [];
  const originated: string[] = [];
  const served = new Map<string, DeployPackage>();
  let held: HeldPackage | undefined;
  let running: PackageRef | undefined;
  const failed = new Set<string>();
  let hang = false;
  let hangTakes = false;
  let failTakes = false;
  const engine: Pick<DeployEngine, 'holding' | 'take' | 'confirm' | 'runningDigest'> = {
    holding: () => ({ held, heldFailed: held !== undefined && failed.has(held.digest), inUse: running ? [running] : [] }),
    take: (pkg, accepted) => {
      if (accepted === 'unchanged') {
        unchanged.push(pkg.topologyId);
        return Promise.resolve({ result: 'unchanged', status: { state: 'idle', at: NOW } });
      }
      held = heldOf(pkg);
      received.push(pkg.topologyId);
      storedWhenTaken.push(saved.includes(pkg.digest) && removed.lastIndexOf(pkg.digest) < saved.lastIndexOf(pkg.digest));
      if (hangTakes) return new Promise(() => undefined);
      if (failTakes) {
        failed.add(pkg.digest);
        return Promise.resolve({ result: 'failed', status: { state: 'failed', at: NOW } });
      }
      failed.delete(pkg.digest);
      running = { topologyId: pkg.topologyId, digest: pkg.digest };
      return Promise.resolve({ result: 'awaiting-confirm', status: { state: 'idle', at: NOW } });
    },
    runningDigest: () => running?.digest,
    confirm: (topologyId) => {
      confirmed.push(topologyId);
      return Promise.resolve({ result: 'confirmed', status: { state: 'deployed', at: NOW } });
    },
  };
  const store: PackageStore = {
    load: () => Promise.resolve({ packages: [], problems: [] }),
    save: (pkg) => {
      saved.push(pkg.digest);
      return Promise.resolve();
    },
    remove: (digest) => {
      removed.push(digest);
      return Promise.resolve();
    },
  };
  const client: PeerClient = {
    request: (target, _method, _path, json) => {
      requested.push(target.node);
      if (hang) return new Promise<PeerResponse>(() => undefined);
      const wanted = json as { digest: string; parts?: string[] };
      const pkg = served.get(wanted.digest);
      if (!pkg) return Promise.resolve({ status: 404, body: Buffer.from('{}') });
      // As a neighbour answers: with the parts asked for only.
      const copy = wanted.parts === undefined ? Promise.resolve(pkg) : withPartsOnly(pkg, selectedParts(pkg, wanted.parts));
      return copy.then((answer) => ({ status: 200, body: Buffer.from(JSON.stringify(answer)) }));
    },
    open: () => {
      throw new Error('not used');
    },
    close: () => undefined,
  };
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const clock = createManualClock(NOW);
  const distribution = createDeployDistribution({
    self: 'root-1',
    selfRootId: 1,
    engine,
    store,
    client,
    targetOf: (node) => ({ node, url: `https://${node}.invalid` }),
    neighbours: () => ['root-2', 'leaf-1-1'],
    originate: (type, body) => originated.push(`${type} ${(body as { topologyId: string }).topologyId}`),
    clock,
    maxPackageBytes: 1 << 20,
    log: (event, fields) => logs.push({ event, fields }),
    retryMs: 1,
    attempts: 1,
    ...extra,
  });
  const { deploy: deployRoute, getDeploy: getDeployRoute } = distribution.handlers();
  return {
    distribution,
    clock,
    received,
    unchanged,
    confirmed,
    saved,
    removed,
    storedWhenTaken,
    requested,
    originated,
    served,
    logs,
    hang: () => (hang = true),
    hangTakes: () => (hangTakes = true),
    failTakes: (fail: boolean) => (failTakes = fail),
    forget: () => (held = undefined),
    deploy: (pkg: DeployPackage) => deployRoute.handle(CALLER, pkg),
    /** Root 2 announces `pkg` (served by root-2) and this node fetches it from there. */
    fromRoot2: async (pkg: DeployPackage) => {
      served.set(pkg.digest, pkg);
      distribution.onDeploy(announcement('root-2', pkg), 'root-2');
      await distribution.settled();
    },
    getDeploy: (pkg: DeployPackage, asker = 'root-2', parts?: string[]) => callGetDeploy(getDeployRoute, { topologyId: pkg.topologyId, digest: pkg.digest, ...(parts === undefined ? {} : { parts }) }, { node: asker, bearer: undefined, address: '127.0.0.1' }),
  };
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
    // The flood router refuses them first and counts them: here they cost no log line, however many come.
    expect(t.logs).toEqual([]);
  });

  it('takes a deploy whose package names its origin as entry root, and a confirmation from a root', async () => {
    const t = setup();
    const pkg = await makePackage('t1', { entryRootId: 2 });
    await t.fromRoot2(pkg);
    t.distribution.onConfirm(flood('root-2', 'confirm_deploy', { topologyId: 't1' }));
    await t.distribution.settled();
    expect(t.received).toEqual(['t1']);
    expect(t.confirmed).toEqual(['t1']);
    expect(t.distribution.current()?.digest).toBe(pkg.digest);
  });

  it('ignores a package that names another entry root than the root that announced it', async () => {
    const t = setup();
    await t.fromRoot2(await makePackage('t1', { entryRootId: 1 }));
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

describe('deploy distribution: /v1/deploy', () => {
  it.each<[string, Partial<DeployDistributionOptions>, () => Promise<DeployPackage>, string, string]>([
    ['at a leaf', { self: 'leaf-1-1', selfRootId: undefined }, () => makePackage('t1'), 'forbidden', 'leaf-1-1 is a leaf; post the package to a root'],
    ['naming another entry root', {}, () => makePackage('t1', { entryRootId: 2 }), 'conflict', 'the package names root 2 as its entry root, but this is root-1'],
    [
      'for another overlay',
      {},
      () =>
        buildDeployPackage({
          topologyId: 't1',
          createdAt: new Date(NOW).toISOString(),
          entryRootId: 1,
          nodes: { 'root-7': { backend: 'dry-run' }, 'leaf-7-1': { backend: 'dry-run' } },
          identityKeys: {},
        }),
      'conflict',
      'the package has no part for root-1, its entry root: it is not a deploy of this overlay',
    ],
    [
      'altered on its way',
      {},
      async () => ({ ...(await makePackage('t1')), deadlineMs: 20_000 }),
      'malformed',
      'digest mismatch: the package was altered or damaged on its way',
    ],
  ])('refuses a package %s', async (_name, options, make, code, reason) => {
    const t = setup(options);
    await expect(t.deploy(await make())).rejects.toMatchObject({ code, message: reason });
    expect(t.originated).toEqual([]);
    expect(t.received).toEqual([]);
  });

  it('refuses a package older than the one taken, and one still being deployed, before flooding anything', async () => {
    const t = setup();
    t.hangTakes();
    const newer = await makePackage('t2', { createdAt: NOW + 1_000 });
    await t.deploy(newer);
    await expect(t.deploy(await makePackage('t1'))).rejects.toMatchObject({ code: 'conflict', message: 'stale: older than topology t2, which this node already has' });
    await expect(t.deploy(newer)).rejects.toMatchObject({ code: 'conflict', message: 'topology t2 is being deployed already' });
    expect(t.originated).toEqual(['deploy t2']);
    expect(t.received).toEqual(['t2']);
  });

  it('floods the same package again when it is posted again, and the engine has nothing new to do', async () => {
    const t = setup();
    const pkg = await makePackage('t1');
    expect(await t.deploy(pkg)).toEqual({ status: 202, json: { topologyId: 't1', digest: pkg.digest } });
    await t.distribution.settled();
    expect(await t.deploy(pkg)).toMatchObject({ status: 202 });
    await t.distribution.settled();
    expect(t.originated).toEqual(['deploy t1', 'deploy t1']);
    expect(t.received).toEqual(['t1']);
    expect(t.unchanged).toEqual(['t1']);
  });
});

describe('deploy distribution: a post that leaves parts out', () => {
  const NODES = ['root-1', 'leaf-1-1', 'root-2'];
  const whole = (topologyId: string, earlier?: DeployPackage) =>
    buildDeployPackage({
      topologyId,
      createdAt: new Date(NOW).toISOString(),
      entryRootId: 1,
      nodes: Object.fromEntries(NODES.filter((node) => !earlier || node === 'root-2').map((node) => [node, { backend: 'dry-run' as const, files: { 'a.conf': `${node} ${topologyId}` } }])),
      sealedParts: earlier ? { 'root-1': earlier.nodes['root-1']!, 'leaf-1-1': earlier.nodes['leaf-1-1']! } : {},
      identityKeys: {},
    });

  it('is completed from the parts this root keeps, and taken whole', async () => {
    const t = setup();
    const first = await whole('t1');
    await t.deploy(first);
    await t.distribution.settled();
    const next = await whole('t2', first);
    expect(await t.deploy(await withPartsOnly(next, ['root-2']))).toEqual({ status: 202, json: { topologyId: 't2', digest: next.digest } });
    await t.distribution.settled();
    expect(t.received).toEqual(['t1', 't2']);
    expect(Object.keys(t.distribution.current()!.nodes).sort()).toEqual([...NODES].sort());
    expect(t.distribution.current()!.omitted).toEqual({});
    expect(t.originated).toEqual(['deploy t1', 'deploy t2']);
  });

  it('is refused, naming what it lacks, when this root keeps not every part left out', async () => {
    const t = setup();
    const first = await whole('t1');
    const next = await whole('t2', first);
    await expect(t.deploy(await withPartsOnly(next, ['root-2']))).rejects.toMatchObject({ code: 'not_found', message: 'this root keeps no part of 2 nodes the package leaves out (root-1, leaf-1-1): post it whole' });
    expect(t.originated).toEqual([]);
    expect(t.received).toEqual([]);
  });
});

describe('deploy distribution: packages from the flood', () => {
  it('asks the entry root first when it is a neighbour, whichever neighbour told of the deploy first', async () => {
    const t = setup({ neighbours: () => ['root-2', 'root-3', 'leaf-1-1'] });
    const pkg = await makePackage('t1', { entryRootId: 3 });
    t.served.set(pkg.digest, pkg);
    t.distribution.onDeploy(announcement('root-3', pkg), 'root-2');
    await t.distribution.settled();
    expect(t.requested).toEqual(['root-3']);
    expect(t.received).toEqual(['t1']);
  });

  it('asks the neighbour that told it first when the entry root is none', async () => {
    const t = setup({ neighbours: () => ['root-2', 'leaf-1-1'] });
    const pkg = await makePackage('t1', { entryRootId: 3 });
    t.served.set(pkg.digest, pkg);
    t.distribution.onDeploy(announcement('root-3', pkg), 'root-2');
    await t.distribution.settled();
    expect(t.requested).toEqual(['root-2']);
  });

  it('checks a fetched package’s digest once, also when it is announced again', async () => {
    const checked: string[] = [];
    const t = setup({
      checkDigest: createDigestCheck((pkg) => {
        checked.push(pkg.topologyId);
        return verifyDeployDigest(pkg);
      }),
    });
    const pkg = await makePackage('t1', { entryRootId: 2 });
    await t.fromRoot2(pkg);
    t.distribution.onDeploy(announcement('root-2', pkg), 'root-3');
    await t.distribution.settled();
    expect(t.received).toEqual(['t1']);
    expect(t.unchanged).toEqual(['t1']);
    expect(checked).toEqual(['t1']);
  });

  it('gives the package kept to the engine again when the engine lost it, if its entry root announced it', async () => {
    const t = setup();
    const pkg = await makePackage('t1', { entryRootId: 2 });
    await t.fromRoot2(pkg);
    t.forget();
    t.distribution.onDeploy(announcement('root-3', pkg), 'root-3');
    await t.distribution.settled();
    expect(t.received).toEqual(['t1']);
    t.distribution.onDeploy(announcement('root-2', pkg), 'root-3');
    await t.distribution.settled();
    expect(t.received).toEqual(['t1', 't1']);
    expect(t.requested).toEqual(['root-2']);
  });

  it('logs a fetched package the rules refuse, and a fetch that failed', async () => {
    const t = setup();
    await t.deploy(await makePackage('t2', { createdAt: NOW + 1_000 }));
    await t.fromRoot2(await makePackage('t1', { entryRootId: 2 }));
    expect(t.logs.at(-1)).toEqual({ event: 'deploy', fields: { topologyId: 't1', via: 'root-2', result: 'refused', reason: 'stale: older than topology t2, which this node already has' } });

    // Announced as good as past its deadline: nothing comes of asking again.
    t.distribution.onDeploy(announcement('root-2', await makePackage('t3', { entryRootId: 2, createdAt: NOW + 2_000 }), NOW), 'root-2');
    await t.clock.advanceAsync(1);
    await t.distribution.settled();
    expect(t.logs.at(-1)).toEqual({ event: 'deploy_fetch_failed', fields: { topologyId: 't3', reason: 'root-2 answered 404: {}' } });
    expect(t.received).toEqual(['t2']);
  });
});

describe('deploy distribution: the packages kept', () => {
  it('keeps and serves a package only when the rules accepted it', async () => {
    const t = setup();
    const first = await makePackage('t1', { text: 'first' });
    await t.deploy(first);
    await t.distribution.settled();
    const sameIdOtherContent = await makePackage('t1', { text: 'second', createdAt: NOW + 1 });
    await expect(t.deploy(sameIdOtherContent)).rejects.toThrow('topology t1 is already known here with another digest');
    await t.distribution.settled();
    expect(t.received).toEqual(['t1']);
    expect(t.saved).toEqual([first.digest]);
    expect(t.distribution.current()?.digest).toBe(first.digest);
    expect((await t.getDeploy(sameIdOtherContent).answer).status).toBe(404);
  });

  it('stores a package before the engine takes it, so that the package in effect is always on disk', async () => {
    const t = setup();
    await t.deploy(await makePackage('t1'));
    await t.fromRoot2(await makePackage('t2', { entryRootId: 2, createdAt: NOW + 1 }));
    expect(t.storedWhenTaken).toEqual([true, true]);
  });

  it('goes on with what runs after a deploy that failed here, and serves the failed package on to the neighbours that fetch it', async () => {
    const t = setup();
    const first = await makePackage('t1');
    await t.deploy(first);
    await t.distribution.settled();
    t.failTakes(true);
    const failing = await makePackage('t2', { createdAt: NOW + 1 });
    await t.deploy(failing);
    await t.distribution.settled();
    expect(t.distribution.current()?.digest).toBe(first.digest);
    expect(t.saved).toEqual([first.digest, failing.digest]);
    expect(t.removed).toEqual([failing.digest]);
    expect((await t.getDeploy(failing).answer).status).toBe(200);
    // The id in effect names one package, also once a newer deploy failed.
    await expect(t.deploy(await makePackage('t1', { text: 'other', createdAt: NOW + 2 }))).rejects.toMatchObject({ code: 'conflict', message: 'topology t1 is already known here with another digest' });
    expect(t.originated).toEqual(['deploy t1', 'deploy t2']);
  });

  it('tries a package that failed here again when it is posted or announced again', async () => {
    const t = setup();
    t.failTakes(true);
    const pkg = await makePackage('t1', { entryRootId: 2 });
    await t.fromRoot2(pkg);
    t.failTakes(false);
    t.distribution.onDeploy(announcement('root-2', pkg), 'root-2');
    await t.distribution.settled();
    expect(t.received).toEqual(['t1', 't1']);
    expect(t.requested).toEqual(['root-2']);
    expect(t.distribution.current()?.digest).toBe(pkg.digest);

    const posted = setup();
    posted.failTakes(true);
    const own = await makePackage('t1');
    await posted.deploy(own);
    await posted.distribution.settled();
    posted.failTakes(false);
    await posted.deploy(own);
    await posted.distribution.settled();
    expect(posted.received).toEqual(['t1', 't1']);
    expect(posted.unchanged).toEqual([]);
    expect(posted.distribution.current()?.digest).toBe(own.digest);
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

  it('tells the neighbour it fetches a package from, at once, that it has none yet, and keeps the others waiting for it', async () => {
    const t = setup();
    const pkg = await makePackage('t1', { entryRootId: 2 });
    t.hang();
    t.distribution.onDeploy(announcement('root-2', pkg), 'root-2');
    await settle();
    expect(t.requested).toEqual(['root-2']);
    // root-2 asking back would wait on this node's fetch from root-2 while that fetch waits on root-2: both until a timeout.
    expect((await t.getDeploy(pkg, 'root-2').answer).status).toBe(404);
    let answered = false;
    void t.getDeploy(pkg, 'root-3').answer.then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
  });

  it('makes a neighbour wait its turn while as many answers as allowed are out, and serves it once one is done', async () => {
    const t = setup({ maxAnswers: 1 });
    const pkg = await makePackage('t1');
    await t.deploy(pkg);
    await t.distribution.settled();
    const first = t.getDeploy(pkg);
    expect((await first.answer).status).toBe(200);
    let answered = false;
    const second = t.getDeploy(pkg);
    void second.answer.then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    first.close();
    expect((await second.answer).status).toBe(200);
  });
});

describe('deploy distribution: parts passed on', () => {
  const fivePart = () =>
    buildDeployPackage({
      topologyId: 'parts',
      createdAt: new Date(NOW).toISOString(),
      entryRootId: 2,
      nodes: Object.fromEntries(['root-1', 'leaf-1-1', 'root-2', 'root-3', 'leaf-3-1'].map((node) => [node, { backend: 'dry-run' as const, files: { 'a.conf': node } }])),
      identityKeys: {},
    });
  const partsIn = async (answer: Promise<{ status: number; bytes: Buffer }>) => {
    const { status, bytes } = await answer;
    if (status !== 200) return status;
    const copy = JSON.parse(bytes.toString('utf8')) as DeployPackage;
    expect(await verifyDeployDigest(copy)).toBe(true);
    return Object.keys(copy.nodes).sort();
  };

  it('fetches its own and its leaves’ parts only, and fetches the parts a neighbour asks for from where it had its own', async () => {
    const t = setup();
    const pkg = await fivePart();
    await t.fromRoot2(pkg);
    expect(t.received).toEqual(['parts']);
    expect(Object.keys(t.distribution.current()!.nodes).sort()).toEqual(['leaf-1-1', 'root-1']);
    expect(t.requested).toEqual(['root-2']);

    expect(await partsIn(t.getDeploy(pkg, 'leaf-1-1', ['leaf-1-1']).answer)).toEqual(['leaf-1-1']);
    expect(t.requested).toEqual(['root-2']);
    expect(await partsIn(t.getDeploy(pkg, 'root-3', ['root-3']).answer)).toEqual(['leaf-3-1', 'root-3']);
    expect(t.requested).toEqual(['root-2', 'root-2']);
    // Asked again, it has them.
    expect(await partsIn(t.getDeploy(pkg, 'root-3', ['root-3']).answer)).toEqual(['leaf-3-1', 'root-3']);
    expect(t.requested).toEqual(['root-2', 'root-2']);
  });

  it('passes on a neighbour’s parts at once while its own are still on their way', async () => {
    const pkg = await fivePart();
    const asked: (string[] | undefined)[] = [];
    let ownArrive = () => undefined as void;
    const ownHeld = new Promise<void>((resolve) => (ownArrive = resolve));
    const client: PeerClient = {
      request: async (_target, _method, _path, json) => {
        const { parts } = json as { parts?: string[] };
        asked.push(parts);
        if (parts?.includes('root-1')) await ownHeld;
        const copy = await withPartsOnly(pkg, selectedParts(pkg, parts ?? []));
        return { status: 200, body: Buffer.from(JSON.stringify(copy)) };
      },
      open: () => {
        throw new Error('not used');
      },
      close: () => undefined,
    };
    const t = setup({ client });
    t.distribution.onDeploy(announcement('root-2', pkg), 'root-2');
    expect(await partsIn(t.getDeploy(pkg, 'root-3', ['root-3']).answer)).toEqual(['leaf-3-1', 'root-3']);
    expect(asked).toEqual([['root-1'], ['root-3']]);
    // Its own leaf's part it waits for with its own.
    const leafAnswer = t.getDeploy(pkg, 'leaf-1-1', ['leaf-1-1']).answer;
    ownArrive();
    expect(await partsIn(leafAnswer)).toEqual(['leaf-1-1']);
    await t.distribution.settled();
    expect(asked).toEqual([['root-1'], ['root-3']]);
    expect(t.received).toEqual(['parts']);
  });

  it('tells the neighbour it had its copy from that it lacks a part at once, rather than asking it back', async () => {
    const t = setup();
    const pkg = await fivePart();
    await t.fromRoot2(pkg);
    expect(await partsIn(t.getDeploy(pkg, 'root-2').answer)).toBe(404);
    expect(t.requested).toEqual(['root-2']);
    expect(await partsIn(t.getDeploy(pkg, 'root-3').answer)).toEqual(['leaf-1-1', 'leaf-3-1', 'root-1', 'root-2', 'root-3']);
  });
});

describe('deploy distribution: the index an announcement carries', () => {
  const NODES = ['root-1', 'leaf-1-1', 'root-2'];
  /**
   * A package for root-1 (with its leaf) and root-2, entered at root-2; after `earlier`, it carries on the parts of the
   * nodes not `changed` as they were sealed (as the application does).
   */
  const overlayPackage = (topologyId: string, changed: string[] = [], earlier?: DeployPackage) =>
    buildDeployPackage({
      topologyId,
      createdAt: new Date(NOW).toISOString(),
      entryRootId: 2,
      nodes: Object.fromEntries(NODES.filter((node) => !earlier || changed.includes(node)).map((node) => [node, { backend: 'dry-run' as const, files: { 'a.conf': `${node} ${topologyId}` } }])),
      sealedParts: earlier ? Object.fromEntries(NODES.filter((node) => !changed.includes(node)).map((node) => [node, earlier.nodes[node]!])) : {},
      identityKeys: {},
    });
  const indexed = async (pkg: DeployPackage) => flood('root-2', 'deploy', await announcementOf(pkg, 1_000, NOW + 60_000, 256 * 1024));

  it('takes a deploy whose index shows its own and its leaves’ parts unchanged without fetching, and serves the copy it made', async () => {
    const t = setup();
    const first = await overlayPackage('t1');
    await t.fromRoot2(first);
    const next = await overlayPackage('t2', ['root-2'], first);
    t.served.set(next.digest, next);
    t.distribution.onDeploy(await indexed(next), 'root-2');
    await t.distribution.settled();
    expect(t.received).toEqual(['t1', 't2']);
    expect(t.requested).toEqual(['root-2']);
    expect(t.distribution.current()?.digest).toBe(next.digest);
    expect(Object.keys(t.distribution.current()!.nodes).sort()).toEqual(['leaf-1-1', 'root-1']);
    const leaf = await callGetDeployParts(t, next, 'leaf-1-1', ['leaf-1-1']);
    expect(leaf).toEqual({ nodes: ['leaf-1-1'], intact: true });
    // A part it does not run it fetches from the neighbour that announced the deploy.
    expect(await callGetDeployParts(t, next, 'root-3', ['root-2'])).toEqual({ nodes: ['root-2'], intact: true });
    expect(t.requested).toEqual(['root-2', 'root-2']);
  });

  it.each<[string, (next: DeployPackage) => Promise<FloodMessageOf<'deploy'>>, string[]]>([
    ['its leaf’s part changed', (next) => indexed(next), ['leaf-1-1']],
    ['its own part changed', (next) => indexed(next), ['root-1']],
    ['the index is another package’s', async (next) => {
      const other = await indexed(await overlayPackage('t3', ['root-2'], next));
      return flood('root-2', 'deploy', { ...(await announcementOf(next, 1_000, NOW + 60_000, 256 * 1024)), index: other.body.index });
    }, []],
    ['the announcement carries no index', (next) => Promise.resolve(announcement('root-2', next)), []],
    ['the index is not intact', async (next) => {
      const body = await announcementOf(next, 1_000, NOW + 60_000, 256 * 1024);
      return flood('root-2', 'deploy', { ...body, index: { ...body.index!, deadlineMs: body.index!.deadlineMs + 1 } });
    }, []],
  ])('fetches its copy when %s', async (_what, announce, changed) => {
    const t = setup();
    const first = await overlayPackage('t1');
    await t.fromRoot2(first);
    const next = await overlayPackage('t2', changed, first);
    t.served.set(next.digest, next);
    t.distribution.onDeploy(await announce(next), 'root-2');
    await t.distribution.settled();
    expect(t.requested).toEqual(['root-2', 'root-2']);
    expect(t.received).toEqual(['t1', 't2']);
    expect(t.distribution.current()?.nodes['root-1']).toEqual(next.nodes['root-1']);
    expect(t.distribution.current()?.nodes['leaf-1-1']).toEqual(next.nodes['leaf-1-1']);
  });

  it('refuses, as an announcement, an index that carries a part', async () => {
    const pkg = await overlayPackage('t1');
    const index = { ...(await packageIndex(pkg)), nodes: { 'root-1': pkg.nodes['root-1']! } };
    expect(() => flood('root-2', 'deploy', { topologyId: 't1', digest: pkg.digest, size: 1_000, confirmBy: NOW, index })).toThrow(/an index carries no part/);
  });
});

/** The nodes whose parts a neighbour's get_deploy answer carries, and whether the copy is intact. */
async function callGetDeployParts(t: ReturnType<typeof setup>, pkg: DeployPackage, asker: string, parts: string[]) {
  const { status, bytes } = await t.getDeploy(pkg, asker, parts).answer;
  if (status !== 200) return status;
  const copy = JSON.parse(bytes.toString('utf8')) as DeployPackage;
  return { nodes: Object.keys(copy.nodes).sort(), intact: await verifyDeployDigest(copy) };
}
