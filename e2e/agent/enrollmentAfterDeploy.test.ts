// Client enrollment on an overlay the application deployed (`raincoat deploy`, dry-run agents): the deploy carries each
// root's and leaf's enrollment material, so a token made at the root enrolls a client once, at the root or at a leaf,
// with a certificate of the cloud's client CA and a tls-crypt-v2 key of its own; the token's second use is refused.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { unwrapTlsCryptV2ClientKey } from '../../src-node/openvpn/tlsCryptV2.testkit.ts';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { EnrolledSchema } from '../../src-shared/protocol/agentApi.ts';
import { PASSWORD, startDeployCluster } from '../cli/deployCluster.testkit.ts';
import type { DeployCluster } from '../cli/deployCluster.testkit.ts';
import { waitFor } from '../lab/wait.ts';
import { answerOf } from './answerOf.ts';

const TOPOLOGY = { roots: [{ id: 1, name: 'cloud-1', internetAddress: '203.0.113.1', overlay: '10.1.0.0/16', maxClients: 150 }], tunnels: [] };

let overlay: DeployCluster;
let session = '';

beforeAll(async () => {
  overlay = await startDeployCluster(
    new Map([
      ['root-1', ['leaf-1-1', 'leaf-1-2']],
      ['leaf-1-1', ['root-1']],
      ['leaf-1-2', ['root-1']],
    ]),
  );
  const topology = overlay.at('topology.json');
  writeFileSync(topology, JSON.stringify(TOPOLOGY));
  const deployed = await overlay.raincoat('deploy', topology, '--access', overlay.at('access.json'), '--state', overlay.at('state'), '--yes', '--timeout', '30');
  expect(deployed.code, deployed.err).toBe(0);
  const login = await overlay.cluster.app('root-1').login({ user: 'administrator', password: PASSWORD });
  session = answerOf(login).session;
  await waitFor(async () => answerOf(await overlay.cluster.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'login' });
}, 120_000);

const newToken = async () => answerOf(await overlay.cluster.app('root-1', session).createEnrollmentToken({ uses: 1, ttlMs: 600_000 })).token;
const csr = () => createCsr('vm', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

/** The profile a client got checked against what the deploy put on the nodes: the cloud's CA and its leaves' tls-crypt-v2 server key. */
function checkProfile(answer: unknown, node: string) {
  const { certificate, profile, node: leaf } = EnrolledSchema.parse(answer);
  expect(leaf).toBe(node);
  expect(new X509Certificate(certificate).checkIssued(new X509Certificate(overlay.dryRunFile('root-1', 'pki/ca.crt')))).toBe(true);
  expect(profile).toMatch(new RegExp(`^remote ${node} 1194$`, 'm'));
  expect(profile).toContain(`<cert>\n${certificate.trim()}\n</cert>`);
  expect(profile).not.toMatch(/\{\{|<key>|^key /m);
  const clientKey = /<tls-crypt-v2>\n([\s\S]*?)\n<\/tls-crypt-v2>/.exec(profile)?.[1];
  expect(unwrapTlsCryptV2ClientKey(overlay.dryRunFile(node, 'pki/client-tls-crypt-v2-server.key'), `${clientKey}\n`)).toBeDefined();
}

describe('client enrollment on an overlay raincoat deployed', () => {
  it.each([
    ['the root, which signs and makes the tls-crypt-v2 key', 'root-1', 'leaf-1-1', 'the enrollment token has been used up'],
    ['a leaf, which has its root sign and makes the tls-crypt-v2 key itself', 'leaf-1-2', 'leaf-1-2', 'root-1: the enrollment token has been used up'],
  ])('enrolls a client once at %s, and refuses the token again', async (_at, at, leaf, usedUp) => {
    const token = await newToken();
    const enrolled = await overlay.cluster.app(at).enroll({ token, csr: csr() });
    expect(enrolled.status).toBe(200);
    checkProfile(answerOf(enrolled), leaf);
    expect(await overlay.cluster.app(at).enroll({ token, csr: csr() })).toMatchObject({ ok: false, status: 403, reason: usedUp });
  });
});
