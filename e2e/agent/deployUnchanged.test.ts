// Only the nodes whose part changes re-apply (issue 10 §1), across real agents (dry-run backend): a deploy that changes one
// tunnel backs up and applies on its two roots and nowhere else, every root still awaits the confirmation and is deployed
// on it, and an unconfirmed deploy reverts everywhere while only the roots it changed restore anything. What each agent
// did to its backend is what its engine logs before every call (`deploy_backend`): the dry-run backend rewrites only the
// files that differ, so its files could not tell an apply of the same part from none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildDeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployNodeInput, DeployOverlay } from '../../src-shared/protocol/deployPackage.ts';
import { waitFor } from '../lab/wait.ts';
import { startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

const ROOTS = ['root-1', 'root-2', 'root-3'];
/** The topology's leaves, played by nobody: every agent lists them at a port where nothing listens. */
const PHANTOM_LEAVES = ['leaf-1-1', 'leaf-2-1', 'leaf-3-1'];
const EVERYONE = [...ROOTS, ...PHANTOM_LEAVES];
let cluster: Cluster;
let session = '';

beforeAll(async () => {
  const others = (node: string) => EVERYONE.filter((other) => other !== node);
  cluster = await startCluster({ neighbours: new Map(EVERYONE.map((node) => [node, others(node)])), phantoms: PHANTOM_LEAVES, bundle: await testBundle(), config: { heartbeatIntervalMs: 500 } });
  session = await administratorSession();
}, 30_000);

/** Logs the administrator in at root-1, which takes the default password once it has heard the other roots. */
async function administratorSession(): Promise<string> {
  const newPassword = 'unchanged parts secret';
  const taken = async () => {
    const answer = await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword });
    return answer.status !== 503 && answerOf(answer).session;
  };
  const id = await waitFor(taken, { timeoutMs: 15_000, intervalMs: 100, what: 'root-1 to take the default password' });
  await waitFor(async () => answerOf(await cluster.app('root-1', id).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'login' });
  return id;
}

afterAll(async () => {
  await cluster?.stop();
});

const root = (id: number) => ({ id, name: `root ${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 });
const CHAIN: DeployOverlay = { topology: { roots: [1, 2, 3].map(root), tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] }, agentPort: 7443 };

/**
 * Each root's part: a line per tunnel it ends, with that tunnel's version, and a pre-shared key of its own, the same in
 * every package but sealed afresh in each. `versions` by tunnel, e.g. `{ '2-3': 2 }`; version 1 otherwise.
 */
async function deploy(topologyId: string, deadlineMs: number, versions: Record<string, number> = {}): Promise<void> {
  const ends = (id: number) => CHAIN.topology.tunnels.filter((t) => t.a === id || t.b === id).map((t) => `${t.a}-${t.b}`);
  const nodes: Record<string, DeployNodeInput> = Object.fromEntries(
    [1, 2, 3].map((id) => [
      `root-${id}`,
      {
        backend: 'dry-run',
        files: { 'tunnels.conf': ends(id).map((t) => `tunnel ${t} version ${versions[t] ?? 1} psk {{secret:psk}}\n`).join('') },
        secrets: { psk: `the psk of root-${id}` },
      },
    ]),
  );
  const identityKeys = Object.fromEntries(
    ROOTS.map((node) => [node, new X509Certificate(readFileSync(path.join(cluster.agents.get(node)!.dataDir, 'identity', 'cert.pem'))).publicKey.export({ type: 'spki', format: 'der' })]),
  );
  const pkg = await buildDeployPackage({ topologyId, createdAt: new Date().toISOString(), deadlineMs, entryRootId: 1, nodes, identityKeys, overlay: CHAIN });
  expect((await cluster.app('root-1', session).deploy(pkg)).status).toBe(202);
}

interface Status {
  state: string;
  topologyId?: string;
  runningTopologyId?: string;
  reason?: string;
}
const status = (node: string): Status | undefined => {
  const file = path.join(cluster.agents.get(node)!.dataDir, 'deploy-state.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { status: Status }).status : undefined;
};
const everyRoot = (check: (s: Status) => boolean) => () => ROOTS.every((node) => check(status(node) ?? { state: 'idle' }));
const tunnelsConf = (node: string) => readFileSync(path.join(cluster.agents.get(node)!.dataDir, 'dry-run', 'tunnels.conf'), 'utf8');

/** The logged lines of `event` on `node`, parsed. */
const logged = <T = unknown>(node: string, event: string): T[] =>
  cluster.agents
    .get(node)!
    .output.filter((line) => line.includes(`"event":"${event}"`))
    .map((line) => JSON.parse(line) as T);
/** The calls each root's engine made on its backend for a topology (as `call` lines), by root. */
const backendCalls = (topologyId: string) =>
  Object.fromEntries(
    ROOTS.map((node) => [
      node,
      logged<{ call: string; topologyId?: string }>(node, 'deploy_backend')
        .filter((line) => line.topologyId === topologyId)
        .map((line) => line.call),
    ]),
  );

describe('a deploy re-applies only where a part changes', () => {
  it('applies a first deploy on every root', async () => {
    await deploy('first', 60_000);
    await waitFor(everyRoot((s) => s.state === 'awaiting-confirm' && s.runningTopologyId === 'first'), { timeoutMs: 10_000, what: 'every root to apply first' });
    expect(backendCalls('first')).toEqual({ 'root-1': ['backup', 'apply'], 'root-2': ['backup', 'apply'], 'root-3': ['backup', 'apply'] });
    expect((await cluster.app('root-1', session).confirmDeploy({ topologyId: 'first' })).status).toBe(200);
    await waitFor(everyRoot((s) => s.state === 'deployed'), { timeoutMs: 10_000, what: 'first to be confirmed everywhere' });
  });

  it('changes tunnel 2-3: root-2 and root-3 back up and apply, root-1 only takes the package, and all are confirmed', async () => {
    const neighboursBefore = logged('root-1', 'neighbours').length;
    await deploy('second', 60_000, { '2-3': 2 });
    await waitFor(everyRoot((s) => s.state === 'awaiting-confirm' && s.topologyId === 'second' && s.runningTopologyId === 'second'), {
      timeoutMs: 10_000,
      what: 'every root to await the confirmation of second',
    });
    expect(backendCalls('second')).toEqual({ 'root-1': [], 'root-2': ['backup', 'apply'], 'root-3': ['backup', 'apply'] });
    expect(tunnelsConf('root-1')).toBe('tunnel 1-2 version 1 psk the psk of root-1\n');
    expect(tunnelsConf('root-3')).toBe('tunnel 2-3 version 2 psk the psk of root-3\n');

    expect((await cluster.app('root-1', session).confirmDeploy({ topologyId: 'second' })).status).toBe(200);
    await waitFor(everyRoot((s) => s.state === 'deployed' && s.topologyId === 'second'), { timeoutMs: 10_000, what: 'second to be confirmed everywhere' });
    // The neighbours follow the package taken at once, whether applied or not: root-1's, the same in both, never changed.
    expect(logged('root-1', 'neighbours').slice(neighboursBefore)).toEqual([]);
  });

  it('reverts an unconfirmed deploy everywhere, and only the roots it changed restore anything', async () => {
    await deploy('third', 10_000, { '2-3': 3 });
    await waitFor(everyRoot((s) => s.state === 'awaiting-confirm' && s.topologyId === 'third'), { timeoutMs: 10_000, what: 'every root to await the confirmation of third' });
    expect(backendCalls('third')).toEqual({ 'root-1': [], 'root-2': ['backup', 'apply'], 'root-3': ['backup', 'apply'] });
    await waitFor(everyRoot((s) => s.state === 'failed' && s.topologyId === 'third'), { timeoutMs: 20_000, what: 'third to be reverted everywhere' });
    for (const node of ROOTS) expect(status(node)).toMatchObject({ runningTopologyId: 'second', reason: expect.stringMatching(/; reverted to topology second$/) });
    expect(backendCalls('third')).toEqual({ 'root-1': [], 'root-2': ['backup', 'apply', 'restore'], 'root-3': ['backup', 'apply', 'restore'] });
    expect(tunnelsConf('root-3')).toBe('tunnel 2-3 version 2 psk the psk of root-3\n');
  });
});
