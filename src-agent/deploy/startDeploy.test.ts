import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOpeningKey, type OpeningKey } from '../../src-shared/crypto/seal.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import { buildDeployPackage, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { buildUnsignedMessage, type FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import { createDryRunBackend } from '../backends/dryRun.ts';
import { memoryFileTree } from '../backends/fakes.testkit.ts';
import { createManualClock } from '../clock.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import type { Caller } from '../wire/route.ts';
import { startDeploy, type DeployDeps } from './startDeploy.ts';

const T0 = Date.UTC(2026, 0, 2, 3, 0, 0);
const SESSION: Caller = { node: undefined, bearer: 'session-token-0123456789', address: '127.0.0.1' };

let dataDir: string;
let openingKey: OpeningKey;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'raincoat-start-deploy-'));
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  openingKey = await importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const makePackage = (id: string, createdAt = T0) =>
  buildDeployPackage({ topologyId: id, createdAt: new Date(createdAt).toISOString(), deadlineMs: 60_000, entryRootId: 1, nodes: { 'root-1': { backend: 'dry-run', files: { 'a.conf': id } } }, identityKeys: {} });

/** root-1's deploy feature on a dry-run backend over a memory tree, its data in `dataDir`; what it tells and floods is noted. */
async function start(extra: Partial<DeployDeps> = {}, tree = memoryFileTree()) {
  const told: string[] = [];
  const originated: string[] = [];
  const logs: string[] = [];
  const client: PeerClient = {
    request: () => Promise.reject(new Error('no neighbour in this test')),
    open: () => {
      throw new Error('not used');
    },
    close: () => undefined,
  };
  const deploy = await startDeploy({
    self: 'root-1',
    selfRootId: 1,
    backend: createDryRunBackend({ tree }),
    openingKey,
    dataDir,
    client,
    targetOf: () => undefined,
    neighbours: () => [],
    originate: (type, body) => originated.push(`${type} ${(body as { topologyId: string }).topologyId}`),
    clock: createManualClock(T0),
    maxPackageBytes: 1 << 20,
    log: (event, fields) => logs.push(`${event} ${JSON.stringify(fields)}`),
    onStatus: (status: DeployStatus, current: DeployPackage | undefined) => told.push(`status ${status.state} ${status.topologyId ?? '-'}, in effect ${current?.topologyId ?? '-'}`),
    ...extra,
  });
  return { deploy, tree, told, originated, logs };
}

describe('startDeploy', () => {
  it('serves the deploy routes: a package posted is flooded, applied, kept, and confirmed', async () => {
    const taken: string[] = [];
    const { deploy, tree, told, originated } = await start({ through: (pkg, take) => (taken.push(pkg.topologyId), take(pkg)) });
    expect(told).toEqual(['status idle -, in effect -']);
    const pkg = await makePackage('t1');
    expect(await deploy.handlers.deploy.handle(SESSION, pkg)).toEqual({ status: 202, json: { topologyId: 't1', digest: pkg.digest } });
    await deploy.settled();
    expect(originated).toEqual(['deploy t1']);
    expect(taken).toEqual(['t1']);
    expect(tree.files['a.conf']?.content).toBe('t1');
    expect(told).toEqual(['status idle -, in effect -', 'status deploying t1, in effect -', 'status awaiting-confirm t1, in effect t1']);
    expect(await deploy.handlers.confirmDeploy.handle(SESSION, { topologyId: 't1' })).toMatchObject({ json: { result: 'confirmed', status: { state: 'deployed' } } });
    expect(told.at(-1)).toBe('status deployed t1, in effect t1');
    expect(deploy.distribution.current()?.digest).toBe(pkg.digest);
    expect((await readdir(dataDir)).sort()).toEqual(['deploy-packages', 'deploy-state.json']);
    deploy.stop();
  });

  it('goes back to the package in effect before when a restart rolls a deploy back, and keeps only that one', async () => {
    const tree = memoryFileTree();
    const first = await start({}, tree);
    const t1 = await makePackage('t1');
    await first.deploy.handlers.deploy.handle(SESSION, t1);
    await first.deploy.settled();
    await first.deploy.handlers.confirmDeploy.handle(SESSION, { topologyId: 't1' });
    await first.deploy.handlers.deploy.handle(SESSION, await makePackage('t2', T0 + 1));
    await first.deploy.settled();
    expect(first.deploy.distribution.current()?.topologyId).toBe('t2');
    expect(await readdir(join(dataDir, 'deploy-packages'))).toHaveLength(2);
    first.deploy.stop();

    const again = await start({ clock: createManualClock(T0 + 61_000) }, tree);
    expect(again.told).toEqual(['status failed t2, in effect t1', 'status failed t2, in effect t1']);
    expect(again.deploy.distribution.current()?.digest).toBe(t1.digest);
    expect(again.deploy.engine.runningDigest()).toBe(t1.digest);
    expect(tree.files['a.conf']?.content).toBe('t1');
    await again.deploy.settled();
    expect(await readdir(join(dataDir, 'deploy-packages'))).toEqual([`${t1.digest.slice('sha256:'.length)}.json`]);
    again.deploy.stop();
  });

  it('forgets on disk a deploy its deadline rolled back', async () => {
    const clock = createManualClock(T0);
    const { deploy } = await start({ clock });
    const t1 = await makePackage('t1');
    await deploy.handlers.deploy.handle(SESSION, t1);
    await deploy.settled();
    await deploy.handlers.confirmDeploy.handle(SESSION, { topologyId: 't1' });
    await deploy.handlers.deploy.handle(SESSION, await makePackage('t2', T0 + 1));
    await deploy.settled();
    await clock.advanceAsync(60_000);
    await deploy.engine.settled();
    await deploy.settled();
    expect(deploy.engine.status()).toMatchObject({ state: 'failed', topologyId: 't2', runningTopologyId: 't1' });
    expect(deploy.distribution.current()?.digest).toBe(t1.digest);
    expect(await readdir(join(dataDir, 'deploy-packages'))).toEqual([`${t1.digest.slice('sha256:'.length)}.json`]);
    deploy.stop();
  });

  it('brings the backend up once at start, through the engine', async () => {
    const tree = memoryFileTree();
    const backend = createDryRunBackend({ tree });
    let resumed = 0;
    await start({ backend: { ...backend, resume: async () => void resumed++ } });
    expect(resumed).toBe(1);
  });

  it('starts again from what it kept on disk, and handles the flood’s messages', async () => {
    const first = await start();
    await first.deploy.handlers.deploy.handle(SESSION, await makePackage('t1'));
    await first.deploy.settled();
    first.deploy.stop();

    const again = await start();
    expect(again.told).toEqual(['status awaiting-confirm t1, in effect t1']);
    again.deploy.messageHandlers.confirm_deploy({ ...buildUnsignedMessage('leaf-1-1', 1, 'confirm_deploy', T0, { topologyId: 't1' }), sig: 'A'.repeat(86) } as FloodMessageOf<'confirm_deploy'>);
    again.deploy.messageHandlers.confirm_deploy({ ...buildUnsignedMessage('root-2', 1, 'confirm_deploy', T0, { topologyId: 't1' }), sig: 'A'.repeat(86) } as FloodMessageOf<'confirm_deploy'>);
    await again.deploy.settled();
    // Nothing but the backend brought up at the start: neither confirmation was refused or ignored.
    expect(again.logs).toEqual(['deploy_backend {"call":"resume","topologyId":"t1"}']);
    expect(again.deploy.engine.status()).toMatchObject({ state: 'deployed', topologyId: 't1' });
    again.deploy.stop();
  });
});
