// Deploy faults through real agents (issue 9 §4): a failed deploy leaves a node enrolling on what it runs, a package
// reusing a topology id or meant for another overlay is refused at the entry root before anything is flooded, an apply
// cut short by kill -9 can be retried with the same package, and no private key lies in clear in a data folder while a
// deploy awaits confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildDeployPackage, type DeployNodeInput, type DeployPackage } from '../../../src-shared/protocol/deployPackage.ts';
import { createCsr } from '../../../src-node/x509/certificationRequest.ts';
import { createCa } from '../../../src-main/core/pki/issueCertificate.ts';
import { waitFor } from '../../lab/wait.ts';
import { startCluster, type Cluster } from '../agentCluster.ts';
import { answerOf } from '../answerOf.ts';
import { testBundle } from '../testBundle.ts';

const openvpnCa = createCa('root-1 OpenVPN CA (deploy faults)');
const PROFILE = `client\nremote leaf-1-1.example 1194\n<cert>\n{{client-certificate}}\n</cert>\n`;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

let cluster: Cluster;
let session = '';
/** Where root-2's stand-in for swanctl waits while `gate` exists (and says so by creating `waiting`). */
let gate = '';
let waiting = '';

/** root-1, the entry root, with its leaf; root-2 (on the linux backend) hears of every deploy from root-1. */
const OVERLAY: ReadonlyMap<string, readonly string[]> = new Map([
  ['root-1', ['root-2', 'leaf-1-1']],
  ['root-2', ['root-1']],
  ['leaf-1-1', ['root-1']],
]);

beforeAll(async () => {
  cluster = await startCluster({
    neighbours: OVERLAY,
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 300 },
    // Each backend's folder is outside the data folder: the configuration in effect holds its keys in clear, as /etc does.
    // root-2 runs the linux backend with every program it starts (swanctl, sysctl) replaced by the stub below.
    configFor: (node, dataDir) => {
      const outside = path.join(dataDir, '..', `${node}-host`);
      if (node !== 'root-2') return { backend: { kind: 'dry-run', dir: outside } };
      return { backend: { kind: 'linux', root: outside, runDir: path.join(outside, '..', 'root-2-run'), commandPrefix: [path.join(dataDir, '..', 'root-2-programs.sh')] } };
    },
  });
  gate = path.join(cluster.dir, 'root-2-gate');
  waiting = path.join(cluster.dir, 'root-2-waiting');
  const stub = path.join(cluster.dir, 'root-2-programs.sh');
  writeFileSync(stub, `#!/bin/sh\nif [ "$1" = swanctl ] && [ -e ${gate} ]; then\n  touch ${waiting}\n  while [ -e ${gate} ]; do sleep 0.05; done\nfi\nexit 0\n`);
  chmodSync(stub, 0o755);

  const login = await waitFor(
    async () => {
      const answer = await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: 'deploy faults secret' });
      return answer.status !== 503 && answer;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: 'root-1 to take the default password' },
  );
  session = answerOf(login).session;
  await waitFor(async () => answerOf(await cluster.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'login' });
});

afterAll(async () => {
  // The stub must not wait for a gate nobody will open.
  if (gate) rmSync(gate, { force: true });
  await cluster?.stop();
});

const identityKey = (node: string) =>
  new X509Certificate(readFileSync(path.join(cluster.agents.get(node)!.dataDir, 'identity', 'cert.pem'))).publicKey.export({ type: 'spki', format: 'der' });

/** root-1 (with its cloud's CA to enroll clients), leaf-1-1 and root-2; `sealedTo` seals every node's secret to that key instead of the node's own. */
function makePackage(topologyId: string, options: { text?: string; sealedTo?: Uint8Array; nodes?: Record<string, DeployNodeInput> } = {}): Promise<DeployPackage> {
  const text = options.text ?? topologyId;
  const nodes = options.nodes ?? {
    'root-1': {
      backend: 'dry-run',
      files: { 'enrollment/ca.crt': openvpnCa.certPem, 'enrollment/leaves/leaf-1-1.ovpn': PROFILE, 'topology.txt': text },
      secrets: { 'enrollment/ca.key': openvpnCa.keyPem },
    },
    'leaf-1-1': { backend: 'dry-run', files: { 'enrollment/client.ovpn': PROFILE }, secrets: { 'uplink.key': `the uplink key of ${topologyId}` } },
    'root-2': { backend: 'linux', files: { 'swanctl/swanctl.conf': `# ${text}\n` }, secrets: { 'swanctl/x509/psk': `the psk of ${topologyId}` } },
  };
  const ours = Object.keys(nodes).filter((node) => cluster.agents.has(node));
  const identityKeys = Object.fromEntries(ours.map((node) => [node, options.sealedTo ?? identityKey(node)]));
  return buildDeployPackage({ topologyId, createdAt: new Date().toISOString(), deadlineMs: 60_000, entryRootId: 1, nodes, identityKeys });
}

type Reported = { state: string; topologyId?: string; runningTopologyId?: string; reason?: string };
const deployStatus = (node: string): Reported => {
  const file = path.join(cluster.agents.get(node)!.dataDir, 'deploy-state.json');
  if (!existsSync(file)) return { state: 'idle' };
  return (JSON.parse(readFileSync(file, 'utf8')) as { status: Reported }).status;
};
const everyNode = (check: (status: Reported) => boolean) => () => [...cluster.agents.keys()].every((node) => check(deployStatus(node)));

async function enrollAtRoot1(): Promise<{ status: number | undefined; reason?: string }> {
  const token = answerOf(await cluster.app('root-1', session).createEnrollmentToken({ uses: 1, ttlMs: 60_000 })).token;
  const answer = await cluster.app('root-1').enroll({ token, csr: createCsr('vm', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey) });
  return answer.ok ? { status: answer.status } : { status: answer.status, reason: answer.reason };
}

describe('deploy faults', () => {
  it('deploys and confirms a first topology, on which root-1 enrolls clients', async () => {
    const first = await makePackage('faults-1');
    expect((await cluster.app('root-1', session).deploy(first)).status).toBe(202);
    await waitFor(everyNode((s) => s.state === 'awaiting-confirm' && s.topologyId === 'faults-1'), { timeoutMs: 10_000, what: 'faults-1 everywhere' });
    expect((await cluster.app('root-1', session).confirmDeploy({ topologyId: 'faults-1' })).status).toBe(200);
    await waitFor(everyNode((s) => s.state === 'deployed'), { timeoutMs: 10_000, what: 'the confirmation everywhere' });
    expect(await enrollAtRoot1()).toEqual({ status: 200 });
  });

  it('goes on enrolling on what it runs after a deploy that failed on every node', async () => {
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
    const failing = await makePackage('faults-2', { sealedTo: stranger });
    expect((await cluster.app('root-1', session).deploy(failing)).status).toBe(202);
    await waitFor(everyNode((s) => s.state === 'failed' && s.topologyId === 'faults-2'), { timeoutMs: 10_000, what: 'faults-2 to fail everywhere' });
    for (const node of cluster.agents.keys()) expect(deployStatus(node)).toMatchObject({ runningTopologyId: 'faults-1' });
    expect(await enrollAtRoot1()).toEqual({ status: 200 });
  });

  it('refuses, before flooding it, a package reusing the id of the topology in effect with other content', async () => {
    const reused = await makePackage('faults-1', { text: 'other content' });
    expect(await cluster.app('root-1', session).deploy(reused)).toMatchObject({
      ok: false,
      status: 409,
      code: 'conflict',
      reason: 'topology faults-1 is already known here with another digest',
    });
    const reusedLatest = await makePackage('faults-2', { text: 'other content' });
    expect(await cluster.app('root-1', session).deploy(reusedLatest)).toMatchObject({ ok: false, status: 409, reason: 'topology faults-2 is already known here with another digest' });
    await new Promise((r) => setTimeout(r, 500));
    expect(everyNode((s) => s.state === 'failed' && s.topologyId === 'faults-2' && s.runningTopologyId === 'faults-1')()).toBe(true);
  });

  it('refuses, before flooding it, a package for another overlay, and lists none of its nodes', async () => {
    const elsewhere = await makePackage('faults-elsewhere', {
      nodes: { 'root-7': { backend: 'dry-run', files: { 'a.txt': 'a' } }, 'leaf-7-1': { backend: 'dry-run', files: { 'b.txt': 'b' } } },
    });
    expect(await cluster.app('root-1', session).deploy(elsewhere)).toMatchObject({
      ok: false,
      status: 409,
      code: 'conflict',
      reason: 'the package has no part for root-1, its entry root: it is not a deploy of this overlay',
    });
    await new Promise((r) => setTimeout(r, 500));
    const { nodes } = answerOf(await cluster.app('root-1', session).status());
    expect(nodes.map((n) => n.node).sort()).toEqual(['leaf-1-1', 'root-1', 'root-2']);
    expect(deployStatus('root-2').topologyId).toBe('faults-2');
  });

  it('applies the same package again after kill -9 cut its apply short', async () => {
    const third = await makePackage('faults-3');
    writeFileSync(gate, '');
    expect((await cluster.app('root-1', session).deploy(third)).status).toBe(202);
    await waitFor(() => existsSync(waiting), { timeoutMs: 10_000, what: "root-2's apply to reach swanctl" });
    await cluster.kill('root-2', true);
    rmSync(gate);
    await cluster.restart('root-2');
    // A restart on a loaded machine (a CI run) may take longer than the rollback itself.
    await waitFor(() => deployStatus('root-2').reason?.includes('the agent stopped while applying topology faults-3'), { timeoutMs: 30_000, what: 'root-2 to roll back' });
    expect(deployStatus('root-2')).toMatchObject({ state: 'failed', runningTopologyId: 'faults-1' });

    expect((await cluster.app('root-1', session).deploy(third)).status).toBe(202);
    await waitFor(() => deployStatus('root-2').state === 'awaiting-confirm', { timeoutMs: 10_000, what: 'root-2 to apply faults-3 again' });
    expect(deployStatus('root-2')).toMatchObject({ topologyId: 'faults-3', runningTopologyId: 'faults-3' });
  });

  it('keeps no private key in clear in any data folder while the deploy awaits confirmation', async () => {
    await waitFor(everyNode((s) => s.state === 'awaiting-confirm' && s.topologyId === 'faults-3'), { timeoutMs: 10_000, what: 'faults-3 to await confirmation everywhere' });
    const inClear: string[] = [];
    for (const agent of cluster.agents.values()) {
      for (const file of readdirSync(agent.dataDir, { recursive: true, withFileTypes: true })) {
        if (!file.isFile()) continue;
        const full = path.join(file.parentPath, file.name);
        // The node's identity key is the one private key a node keeps as it is: every other is sealed to it.
        if (full === path.join(agent.dataDir, 'identity', 'key.pem')) continue;
        const text = readFileSync(full, 'utf8');
        if (PRIVATE_KEY.test(text) || text.includes('the psk of') || text.includes('the uplink key of')) inClear.push(path.relative(cluster.dir, full));
      }
    }
    expect(inClear).toEqual([]);
    // Where the configuration in effect lives, outside the data folder, the keys are in clear as they must be.
    expect(readFileSync(path.join(cluster.dir, 'root-1-host', 'enrollment', 'ca.key'), 'utf8')).toMatch(PRIVATE_KEY);
  });
});
