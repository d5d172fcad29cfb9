// Client enrollment through real agents: a token made at a root lets a client VM enroll at a leaf (which has its
// root sign) or at the root itself, with the first-boot script the application hands out; the key stays on the VM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { EnrolledSchema } from '../../src-shared/protocol/agentApi.ts';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { createCa } from '../../src-main/core/pki/issueCertificate.ts';
import { waitFor } from '../lab/wait.ts';
import { startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { answerOf } from './answerOf.ts';
import { testBundle } from './testBundle.ts';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/agent/cloud-init/client-user-data.sh');
const openvpnCa = createCa('root-1 OpenVPN CA');
const profileFor = (leaf: string) => `client\ndev tun\nproto udp\nremote ${leaf}.example 1194\n<ca>\n${openvpnCa.certPem.trim()}\n</ca>\n<cert>\n{{client-certificate}}\n</cert>\n`;

let cluster: Cluster;
let session = '';

beforeAll(async () => {
  cluster = await startCluster({
    neighbours: new Map([
      ['root-1', ['leaf-1-1', 'leaf-1-2']],
      ['leaf-1-1', ['root-1']],
      ['leaf-1-2', ['root-1']],
    ]),
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 500 },
  });
  const login = await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: 'enrollment test secret' });
  session = answerOf(login).session;
  await waitFor(async () => answerOf(await cluster.app('root-1', session).loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'login' });

  const identityKeys = Object.fromEntries([...cluster.agents.values()].map((a) => [a.node, readFileSync(path.join(a.dataDir, 'identity', 'cert.pem'), 'utf8')]));
  const keyOf = (node: string) => new X509Certificate(identityKeys[node]!).publicKey.export({ type: 'spki', format: 'der' });
  const pkg = await buildDeployPackage({
    topologyId: 'enroll-1',
    createdAt: new Date().toISOString(),
    entryRootId: 1,
    identityKeys: { 'root-1': keyOf('root-1') },
    nodes: {
      'root-1': {
        backend: 'dry-run',
        files: { 'enrollment/ca.crt': openvpnCa.certPem, 'enrollment/leaves/leaf-1-1.ovpn': profileFor('leaf-1-1'), 'enrollment/leaves/leaf-1-2.ovpn': profileFor('leaf-1-2') },
        secrets: { 'enrollment/ca.key': openvpnCa.keyPem },
      },
      'leaf-1-1': { backend: 'dry-run', files: { 'enrollment/client.ovpn': profileFor('leaf-1-1') } },
      'leaf-1-2': { backend: 'dry-run', files: { 'enrollment/client.ovpn': profileFor('leaf-1-2') } },
    },
  });
  expect((await cluster.app('root-1', session).deploy(pkg)).status).toBe(202);
  await waitFor(
    async () => {
      const { nodes } = answerOf(await cluster.app('root-1', session).status());
      return nodes.length === 3 && nodes.every((n) => n.state === 'alive' && n.topologyId === 'enroll-1');
    },
    { timeoutMs: 20_000, what: 'the deploy' },
  );
  expect((await cluster.app('root-1', session).confirmDeploy({ topologyId: 'enroll-1' })).status).toBe(200);
});

afterAll(async () => {
  await cluster?.stop();
});

const newToken = async (uses: number) => {
  const created = await cluster.app('root-1', session).createEnrollmentToken({ uses, ttlMs: 600_000, label: 'web tier' });
  expect(created.status).toBe(201);
  return answerOf(created);
};
const clientCsr = () => createCsr('vm-1', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const checkIssued = (certificatePem: string) => {
  const cert = new X509Certificate(certificatePem);
  expect(cert.checkIssued(new X509Certificate(openvpnCa.certPem))).toBe(true);
  expect(cert.subject).toMatch(/^CN=client-1-[0-9a-f]{12}$/);
};

describe('client enrollment', () => {
  it('enrolls at a leaf, which has its root sign, and uses the token up', async () => {
    const { token } = await newToken(1);
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const enrolled = await cluster.app('leaf-1-2').enroll({ token, csr: createCsr('vm-1', keys.privateKey) });
    expect(enrolled.status).toBe(200);
    // Asked for JSON, the enrollment answers the route's JSON, not the profile alone as text.
    const { node, certificate, profile } = EnrolledSchema.parse(answerOf(enrolled));
    expect(node).toBe('leaf-1-2');
    checkIssued(certificate);
    expect(new X509Certificate(certificate).publicKey.equals(keys.publicKey)).toBe(true);
    expect(profile).toContain('remote leaf-1-2.example 1194');
    expect(profile).toContain(certificate.trim());

    const again = await cluster.app('leaf-1-1').enroll({ token, csr: clientCsr() });
    expect(again).toMatchObject({ ok: false, status: 403, code: 'forbidden', reason: 'root-1: the enrollment token has been used up' });
  });

  it('refuses a revoked token and a malformed request, without spending a use on the latter', async () => {
    const { token, id } = await newToken(5);
    expect(await cluster.app('root-1').enroll({ token, csr: 'not a csr' })).toMatchObject({ ok: false, code: 'malformed', reason: expect.stringMatching(/^csr: /) });
    const listed = answerOf(await cluster.app('root-1', session).listEnrollmentTokens()).tokens;
    expect(listed.find((t) => t.id === id)?.usesLeft).toBe(5);
    expect((await cluster.app('root-1', session).revokeEnrollmentToken({ id })).status).toBe(200);
    expect(await cluster.app('root-1').enroll({ token, csr: clientCsr() })).toMatchObject({ status: 403, reason: 'the enrollment token was revoked' });
  });

  it("runs the first-boot script: key made on the VM, profile written, OpenVPN's service started", (ctx) => {
    for (const tool of ['curl', 'openssl']) if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return ctx.skip(`${tool} is not installed`);
    return (async () => {
      const { token } = await newToken(1);
      const vm = path.join(cluster.dir, 'vm');
      const stubs = path.join(vm, 'bin');
      mkdirSync(stubs, { recursive: true });
      // Stand-ins for what a VM has and a test must not touch: the service manager and the package manager.
      writeFileSync(path.join(stubs, 'systemctl'), `#!/bin/sh\necho "$@" >> ${vm}/systemctl.calls\n`);
      writeFileSync(path.join(stubs, 'apt-get'), `#!/bin/sh\necho "$@" >> ${vm}/apt-get.calls\nexit 1\n`);
      writeFileSync(path.join(stubs, 'openvpn'), '#!/bin/sh\nexit 0\n');
      for (const stub of ['systemctl', 'apt-get', 'openvpn']) chmodSync(path.join(stubs, stub), 0o755);
      const root = cluster.agents.get('root-1')!;
      const script = readFileSync(SCRIPT, 'utf8')
        .replace("'@@ENROLL_HOST@@'", "'127.0.0.1'")
        .replace("'@@ENROLL_PORT@@'", `'${root.port}'`)
        .replace("'@@ENROLL_NODE@@'", "'root-1'")
        .replace("'@@ENROLL_TOKEN@@'", `'${token}'`)
        .replace("'@@CONTROL_CA_PEM@@'", `'${cluster.controlCa.certPem.trim()}'`);
      expect(script).not.toMatch(/'@@[A-Z_]+@@'/);
      writeFileSync(path.join(vm, 'user-data.sh'), script);
      const dir = path.join(vm, 'openvpn-client');
      const run = spawnSync('sh', [path.join(vm, 'user-data.sh')], {
        env: { ...process.env, PATH: `${stubs}:${process.env.PATH}`, RAINCOAT_DIR: dir, RAINCOAT_ATTEMPTS: '3', RAINCOAT_PAUSE: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.stderr).toMatch(/enrolled at root-1/);
      expect(run.status).toBe(0);

      const profile = readFileSync(path.join(dir, 'raincoat.conf'), 'utf8');
      expect(profile).toMatch(/remote leaf-1-[12]\.example 1194/);
      expect(profile).toContain(`key ${dir}/raincoat.key`);
      const certificate = /<cert>\n([\s\S]*?)\n<\/cert>/.exec(profile)![1]!;
      checkIssued(certificate);
      // The certificate is for the key the script made on the "VM", which never left it.
      const key = path.join(dir, 'raincoat.key');
      expect(statSync(key).mode & 0o777).toBe(0o600);
      const vmPublic = execFileSync('openssl', ['pkey', '-in', key, '-pubout'], { encoding: 'utf8' });
      expect(new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'pem' })).toBe(vmPublic);
      expect(readFileSync(path.join(vm, 'systemctl.calls'), 'utf8')).toBe('enable --now openvpn-client@raincoat\n');
      expect(existsSync(path.join(vm, 'apt-get.calls'))).toBe(false);
    })();
  });

  it('lets the script give up on a token that is refused, instead of retrying it forever', (ctx) => {
    if (spawnSync('sh', ['-c', 'command -v curl && command -v openssl']).status !== 0) return ctx.skip('curl or openssl is not installed');
    const vm = path.join(cluster.dir, 'vm2');
    mkdirSync(vm, { recursive: true });
    const leaf = cluster.agents.get('leaf-1-1')!;
    const script = readFileSync(SCRIPT, 'utf8')
      .replace("'@@ENROLL_HOST@@'", "'127.0.0.1'")
      .replace("'@@ENROLL_PORT@@'", `'${leaf.port}'`)
      .replace("'@@ENROLL_NODE@@'", "'leaf-1-1'")
      .replace("'@@ENROLL_TOKEN@@'", "'rce_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'")
      .replace("'@@CONTROL_CA_PEM@@'", `'${cluster.controlCa.certPem.trim()}'`);
    writeFileSync(path.join(vm, 'user-data.sh'), script);
    const run = spawnSync('sh', [path.join(vm, 'user-data.sh')], { env: { ...process.env, RAINCOAT_DIR: path.join(vm, 'ovpn'), RAINCOAT_ATTEMPTS: '3', RAINCOAT_PAUSE: '1' }, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/enrollment refused \(HTTP 403\).*not a valid enrollment token/);
  });
});
