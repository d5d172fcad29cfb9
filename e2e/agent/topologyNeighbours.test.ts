// Flood neighbours from the deployed topology, across real agents (dry-run backend): a deploy that adds a tunnel makes its
// ends neighbours, so a flood crosses it; the revert of that deploy (nobody confirms it) takes the tunnel away again.
// Every agent's configuration lists every other node, which gives the addresses (loopback) while the topology decides
// who the neighbours are; the topology's own addresses are never dialled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const LEAVES = ['leaf-1-1', 'leaf-2-1', 'leaf-3-1'];
let cluster: Cluster;
let session = '';

beforeAll(async () => {
  const everyone = [...ROOTS, ...LEAVES];
  cluster = await startCluster({
    neighbours: new Map(everyone.map((node) => [node, everyone.filter((other) => other !== node)])),
    // The leaves of the topology are played by nobody: listed at a port where nothing listens.
    phantoms: LEAVES,
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 1_000 },
  });
  // A root takes the default password only once it has heard the roots it expects (one may hold a password set there).
  const heardRoots = async () => (await cluster.heardBy('root-1')).filter((node) => ROOTS.includes(node)).length;
  await waitFor(async () => (await heardRoots()) === ROOTS.length, { timeoutMs: 10_000, what: 'root-1 to hear every root' });
  const login = await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: 'neighbours test secret' });
  expect(login.status).toBe(200);
  session = answerOf(login).session;
  await waitFor(async () => answerOf(await cluster.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'login' });
});

afterAll(async () => {
  await cluster?.stop();
});

const root = (id: number) => ({ id, name: `root ${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 });
const overlay = (tunnels: [number, number][]): DeployOverlay => ({ topology: { roots: [1, 2, 3].map(root), tunnels: tunnels.map(([a, b]) => ({ a, b })) }, agentPort: 7443 });

async function deploy(topologyId: string, tunnels: [number, number][], deadlineMs: number): Promise<void> {
  const nodes: Record<string, DeployNodeInput> = Object.fromEntries(ROOTS.map((node) => [node, { backend: 'dry-run', files: { 'topology.txt': `${topologyId}\n` } }]));
  const pkg = await buildDeployPackage({ topologyId, createdAt: new Date().toISOString(), deadlineMs, entryRootId: 1, nodes, identityKeys: {}, overlay: overlay(tunnels) });
  expect((await cluster.app('root-1', session).deploy(pkg)).status).toBe(202);
}

interface DeployStateFile {
  status: { state: string; topologyId?: string; runningTopologyId?: string };
}
/** The node's deploy state, or undefined before its engine first wrote one. */
const deployState = (node: string): DeployStateFile | undefined => {
  const file = path.join(cluster.agents.get(node)!.dataDir, 'deploy-state.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DeployStateFile) : undefined;
};
const everyRoot = (check: (state: DeployStateFile['status']) => boolean) =>
  ROOTS.every((node) => {
    const state = deployState(node);
    return state !== undefined && check(state.status);
  });

/** The node lists root-1 logged as its neighbours, newest last. */
const neighbourLog = () =>
  cluster.agents
    .get('root-1')!
    .output.filter((line) => line.includes('"event":"neighbours"'))
    .map((line) => JSON.parse(line) as { from: string; nodes: string[] })
    .map((entry) => ({ from: entry.from, nodes: entry.nodes }));

let floods = 0;
/**
 * Whether a flood from root-1 reaches root-3 while root-2, the other way round, is paused: only a tunnel between
 * root-1 and root-3 carries it then. Waits `withinMs` for it.
 */
async function reachesRoot3Directly(withinMs: number): Promise<boolean> {
  const root2 = cluster.agents.get('root-2')!.process.pid!;
  process.kill(root2, 'SIGSTOP');
  try {
    const sent = await cluster.request('root-1', 'POST', '/v1/test/originate', { type: 'confirm_deploy', body: { topologyId: `probe-${++floods}` } });
    expect(sent.status).toBe(200);
    const id = (sent.json as { id: string }).id;
    const handled = async () => ((await cluster.request('root-3', 'GET', '/v1/test/metrics')).json as { handled: Record<string, number> }).handled[id] !== undefined;
    return await waitFor(handled, { timeoutMs: withinMs, intervalMs: 50 }).catch(() => false);
  } finally {
    process.kill(root2, 'SIGCONT');
  }
}

describe('flood neighbours from the deployed topology', () => {
  it('before any deploy, takes the configured neighbours', async () => {
    expect(neighbourLog().at(-1)).toEqual({ from: 'configuration', nodes: ['root-2', 'root-3', 'leaf-1-1', 'leaf-2-1', 'leaf-3-1'] });
    expect(await reachesRoot3Directly(5_000)).toBe(true);
  });

  it('after a deploy, takes the tunnel peers and leaves of the topology, and no other configured node', async () => {
    await deploy('chain', [
      [1, 2],
      [2, 3],
    ], 60_000);
    await waitFor(() => everyRoot((s) => s.runningTopologyId === 'chain'), { timeoutMs: 20_000, what: 'every root to apply the chain' });
    expect((await cluster.app('root-1', session).confirmDeploy({ topologyId: 'chain' })).status).toBe(200);
    await waitFor(() => everyRoot((s) => s.state === 'deployed'), { timeoutMs: 10_000, what: 'the chain to be confirmed everywhere' });
    expect(neighbourLog().at(-1)).toEqual({ from: 'topology chain', nodes: ['root-2', 'leaf-1-1'] });
    expect(await reachesRoot3Directly(2_000)).toBe(false);
  });

  it('a deploy that adds a tunnel makes its ends neighbours, and a flood crosses it', async () => {
    await deploy('triangle', [
      [1, 2],
      [2, 3],
      [1, 3],
    ], 10_000);
    await waitFor(() => everyRoot((s) => s.state === 'awaiting-confirm' && s.runningTopologyId === 'triangle'), { timeoutMs: 10_000, what: 'every root to apply the triangle' });
    expect(neighbourLog().at(-1)).toEqual({ from: 'topology triangle', nodes: ['root-2', 'root-3', 'leaf-1-1'] });
    expect(await reachesRoot3Directly(5_000)).toBe(true);
  });

  it('its revert, unconfirmed at the deadline, takes the tunnel away again', async () => {
    await waitFor(() => everyRoot((s) => s.state === 'failed' && s.runningTopologyId === 'chain'), { timeoutMs: 20_000, what: 'the triangle to be reverted everywhere' });
    expect(neighbourLog().at(-1)).toEqual({ from: 'topology chain', nodes: ['root-2', 'leaf-1-1'] });
    expect(await reachesRoot3Directly(2_000)).toBe(false);
  });
});
