// A node takes the identity certificate a deploy re-issued to it (issue 12 §4), across real agents: the agent stores it,
// serves new connections with it and carries it with its flooded messages at once, without a restart, and refuses one
// that certifies another key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import path from 'node:path';
import { buildDeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import type { DeployNodeInput, DeployOverlay } from '../../src-shared/protocol/deployPackage.ts';
import { issuerFromCa } from '../../src-node/x509/issuer.ts';
import { createCsr, readCsr } from '../../src-node/x509/certificationRequest.ts';
import { certifyNodeIdentity, recertifyNodeIdentity } from '../../src-main/core/pki/nodeIdentity.ts';
import { generateKeyPairSync } from 'node:crypto';
import { waitFor } from '../lab/wait.ts';
import { startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

let cluster: Cluster;
let session = '';

beforeAll(async () => {
  cluster = await startCluster({ neighbours: new Map([['root-1', ['root-2']], ['root-2', ['root-1']]]), bundle: await testBundle(), config: { heartbeatIntervalMs: 500 } });
  const taken = async () => {
    const answer = await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: 'identity renewal secret' });
    return answer.status !== 503 && answerOf(answer).session;
  };
  session = await waitFor(taken, { timeoutMs: 15_000, intervalMs: 100, what: 'root-1 to take the default password' });
  await waitFor(async () => answerOf(await cluster.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'login' });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

const root = (id: number) => ({ id, name: `root ${id}`, internetAddress: `198.51.100.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 50 });
const PAIR: DeployOverlay = { topology: { roots: [1, 2].map(root), tunnels: [{ a: 1, b: 2 }] }, agentPort: 7443 };
const storedCertificate = (node: string) => readFileSync(path.join(cluster.agents.get(node)!.dataDir, 'identity', 'cert.pem'), 'utf8');

async function deploy(topologyId: string, root2Certificate: string): Promise<void> {
  const nodes: Record<string, DeployNodeInput> = {
    'root-1': { backend: 'dry-run', files: { 'a.conf': topologyId } },
    'root-2': { backend: 'dry-run', files: { 'a.conf': topologyId }, identityCertificate: root2Certificate },
  };
  const pkg = await buildDeployPackage({ topologyId, createdAt: new Date().toISOString(), deadlineMs: 60_000, entryRootId: 1, nodes, identityKeys: {}, overlay: PAIR });
  expect((await cluster.app('root-1', session).deploy(pkg)).status).toBe(202);
  const taken = () => cluster.agents.get('root-2')!.output.some((line) => line.includes(`"topologyId":"${topologyId}"`) && line.includes('"event":"deploy"'));
  // What root-2 logged says why, should it not take it.
  await waitFor(taken, { timeoutMs: 10_000, what: `root-2 to take ${topologyId}` }).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${cluster.agents.get('root-2')!.output.slice(-15).join('')}`);
  });
}

/** The certificate root-2 presents to a new connection. */
function servedCertificate(): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: cluster.agents.get('root-2')!.port, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.destroy();
      if (cert === undefined) reject(new Error('no certificate')); else resolve(cert);
    });
    socket.on('error', reject);
  });
}

describe('an agent takes its renewed identity certificate', () => {
  it('stores it, serves it at once, and goes on flooding: root-1 still hears root-2', async () => {
    const before = storedCertificate('root-2');
    // Certified now, for the whole lifetime: it outlasts the one root-2 was enrolled with a few seconds ago.
    const renewed = recertifyNodeIdentity(issuerFromCa(cluster.controlCa), 'root-2', before);
    await deploy('renewal', renewed);
    await waitFor(() => storedCertificate('root-2') === renewed, { timeoutMs: 10_000, what: 'root-2 to store the renewed certificate' });
    expect((await servedCertificate()).validTo).toBe(new X509Certificate(renewed).validTo);
    expect(cluster.agents.get('root-2')!.output.filter((line) => line.includes('"event":"identity_renewed"'))).toHaveLength(1);
    // root-2's heartbeats, signed with the same key and carrying the new certificate, still reach root-1.
    const heardAt = async () => {
      const nodes = (answerOf(await cluster.app('root-1', session).status()) as { nodes: { node: string; lastHeartbeat: number | null }[] }).nodes;
      return nodes.find((n) => n.node === 'root-2')?.lastHeartbeat ?? 0;
    };
    const after = Date.now();
    await waitFor(async () => (await heardAt()) > after, { timeoutMs: 10_000, what: 'root-1 to hear root-2 after the renewal' });
  });

  it('refuses a certificate for another key, and keeps the one it has', async () => {
    const kept = storedCertificate('root-2');
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const forOtherKey = certifyNodeIdentity(issuerFromCa(cluster.controlCa), 'root-2', readCsr(createCsr('root-2', stranger)));
    await deploy('other-key', forOtherKey);
    await waitFor(() => cluster.agents.get('root-2')!.output.some((line) => line.includes('"event":"identity_renewal_refused"')), { timeoutMs: 10_000, what: 'root-2 to refuse it' });
    expect(storedCertificate('root-2')).toBe(kept);
    expect((await servedCertificate()).validTo).toBe(new X509Certificate(kept).validTo);
  });
});
