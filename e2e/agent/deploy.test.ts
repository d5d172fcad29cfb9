// Deploys through real agents: the entry root floods the package, every node fetches it, opens its own sealed
// secrets and applies its part (dry-run); a node whose apply fails rolls back and says why; confirmation keeps a
// deploy, and a deploy nobody confirms reverts by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildDeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployNodeInput, DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { NodeStatus } from '../../src-shared/protocol/messages.ts';
import { waitFor } from '../lab/wait.ts';
import { startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

let cluster: Cluster;
let session = '';
const DRY_RUN = ['root-1', 'root-2', 'leaf-2-1'];

beforeAll(async () => {
  cluster = await startCluster({
    neighbours: new Map([
      ['root-1', ['root-2', 'root-3']],
      ['root-2', ['root-1', 'leaf-2-1']],
      ['root-3', ['root-1']],
      ['leaf-2-1', ['root-2']],
    ]),
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 300 },
    // root-3 runs the linux backend with an OpenVPN that always fails to start: its apply fails for real.
    configFor: (node, dataDir) =>
      node === 'root-3' ? { backend: { kind: 'linux', root: path.join(dataDir, 'linux'), runDir: path.join(dataDir, 'run'), openvpnBinary: '/bin/false' } } : {},
  });
  // The default password is taken only once the other roots were heard from (a password set there would come with them).
  const login = await waitFor(
    async () => {
      const answer = await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: 'deploy test secret' });
      return answer.status !== 503 && answer;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: 'root-1 to take the default password' },
  );
  expect(login.status).toBe(200);
  session = answerOf(login).session;
  await waitFor(async () => answerOf(await cluster.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'login' });
});

afterAll(async () => {
  await cluster?.stop();
});

async function makePackage(topologyId: string, deadlineMs: number, text: string): Promise<DeployPackage> {
  const nodes: Record<string, DeployNodeInput> = {};
  for (const node of DRY_RUN) nodes[node] = { backend: 'dry-run', files: { 'hello.txt': `${text} from ${node}\n` }, secrets: { 'secret.key': `the secret of ${node} in ${topologyId}` } };
  nodes['root-3'] = { backend: 'linux', files: { 'openvpn/server.conf': 'dev tun\n' } };
  const identityKeys = Object.fromEntries(
    [...cluster.agents.values()].map((a) => [a.node, new X509Certificate(readFileSync(path.join(a.dataDir, 'identity', 'cert.pem'))).publicKey.export({ type: 'spki', format: 'der' })]),
  );
  return buildDeployPackage({ topologyId, createdAt: new Date().toISOString(), deadlineMs, entryRootId: 1, nodes, identityKeys });
}

const statuses = async (): Promise<Record<string, NodeStatus>> => {
  const { nodes } = answerOf(await cluster.app('root-1', session).status());
  return Object.fromEntries(nodes.map((n) => [n.node, n]));
};
const dryRunFile = (node: string, file: string) => path.join(cluster.agents.get(node)!.dataDir, 'dry-run', file);
const deployState = (node: string) => JSON.parse(readFileSync(path.join(cluster.agents.get(node)!.dataDir, 'deploy-state.json'), 'utf8')) as { status: { state: string; reason?: string } };

describe('deploy', () => {
  let first: DeployPackage;

  it('applies each dry-run part with its own secrets, and rolls back the node whose apply fails', async () => {
    first = await makePackage('topo-1', 60_000, 'first');
    const posted = await cluster.app('root-1', session).deploy(first);
    expect(posted).toMatchObject({ status: 202, answer: { topologyId: 'topo-1', digest: first.digest } });

    await waitFor(
      async () => {
        const s = await statuses();
        return DRY_RUN.every((n) => s[n]?.state === 'alive' && s[n]?.topologyId === 'topo-1') && s['root-3']?.state === 'failed';
      },
      { timeoutMs: 30_000, what: 'every node to report topo-1' },
    );
    const s = await statuses();
    expect(s['root-3']!.reason).toMatch(/^apply failed: openvpn server.*; reverted to the configuration from before Raincoat$/);
    expect(s['root-3']!.topologyId).toBeNull();
    // The rollback left root-3 as it was: nothing of Raincoat's.
    expect(readdirSync(path.join(cluster.agents.get('root-3')!.dataDir, 'linux'), { recursive: true }).filter((f) => !String(f).startsWith('.'))).toEqual([]);

    for (const node of DRY_RUN) {
      expect(readFileSync(dryRunFile(node, 'hello.txt'), 'utf8')).toBe(`first from ${node}\n`);
      expect(readFileSync(dryRunFile(node, 'secret.key'), 'utf8')).toBe(`the secret of ${node} in topo-1`);
      expect(statSync(dryRunFile(node, 'secret.key')).mode & 0o777).toBe(0o600);
      // Every node keeps the package in effect, to enroll on and serve it; it holds no secret in the clear.
      const stored = readFileSync(path.join(cluster.agents.get(node)!.dataDir, 'deploy-packages', `${first.digest.slice('sha256:'.length)}.json`), 'utf8');
      expect(stored).toContain('"topologyId":"topo-1"');
      expect(stored).not.toContain('the secret of');
    }
  });

  it('keeps a confirmed deploy, everywhere', async () => {
    const confirmed = await cluster.app('root-1', session).confirmDeploy({ topologyId: 'topo-1' });
    expect(confirmed).toMatchObject({ status: 200, answer: { result: 'confirmed' } });
    await waitFor(() => DRY_RUN.every((n) => deployState(n).status.state === 'deployed'), { timeoutMs: 10_000, what: 'the confirmation to reach every node' });
  });

  it('changes nothing when the same package is posted again', async () => {
    const before = DRY_RUN.map((n) => statSync(dryRunFile(n, 'hello.txt')).mtimeMs);
    expect((await cluster.app('root-1', session).deploy(first)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(DRY_RUN.map((n) => statSync(dryRunFile(n, 'hello.txt')).mtimeMs)).toEqual(before);
    expect(DRY_RUN.map((n) => deployState(n).status.state)).toEqual(['deployed', 'deployed', 'deployed']);
  });

  it('reverts a deploy that nobody confirms before its deadline, and says why', async () => {
    const second = await makePackage('topo-2', 10_000, 'second');
    expect((await cluster.app('root-1', session).deploy(second)).status).toBe(202);
    await waitFor(() => DRY_RUN.every((n) => readFileSync(dryRunFile(n, 'hello.txt'), 'utf8') === `second from ${n}\n`), { timeoutMs: 10_000, what: 'topo-2 to be applied' });
    await waitFor(
      async () => {
        const s = await statuses();
        return DRY_RUN.every((n) => s[n]?.state === 'failed');
      },
      { timeoutMs: 30_000, what: 'topo-2 to be reverted everywhere' },
    );
    const s = await statuses();
    for (const node of DRY_RUN) {
      expect(s[node]!.reason).toMatch(/^no confirm_deploy for topology topo-2 arrived before the deadline .*; reverted to topology topo-1$/);
      expect(s[node]!.topologyId).toBe('topo-1');
      expect(readFileSync(dryRunFile(node, 'hello.txt'), 'utf8')).toBe(`first from ${node}\n`);
      // The package kept is again the one in effect; the one rolled back is not kept.
      expect(readdirSync(path.join(cluster.agents.get(node)!.dataDir, 'deploy-packages'))).toEqual([`${first.digest.slice('sha256:'.length)}.json`]);
    }
  });

  it('refuses a package from anyone without a session', async () => {
    const response = await cluster.app('root-1').deploy(first);
    expect(response).toMatchObject({ ok: false, status: 401, code: 'unauthenticated' });
    expect(existsSync(dryRunFile('root-1', 'hello.txt'))).toBe(true);
  });
});
