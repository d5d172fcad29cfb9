import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCsr } from '../../../src-node/x509/certificationRequest.ts';
import { issuerFromCa } from '../../../src-node/x509/issuer.ts';
import { certifyRequest } from '../../../src-node/x509/signCsr.ts';
import { createCa } from '../pki/issueCertificate.ts';
import { sampleAccess } from '../overlayAccess/overlayAccess.testkit.ts';
import { answered, fakeAgent, refused } from '../session/fakeAgent.testkit.ts';
import type { FakeHandlers } from '../session/fakeAgent.testkit.ts';
import type { Session } from '../session/session.ts';
import { clientMachinesCore, PROFILE_TOKEN_TTL_MS, SCRIPT_TOKEN_TTL_MS } from './clientMachinesCore.ts';
import { readFirstBootTemplate } from './readFirstBootTemplate.ts';

const SESSION_TOKEN = 'token-0123456789abcdef';
const TOKEN = 'rce_00112233aabbccdd.c2VjcmV0LXNlY3JldA';
const access = sampleAccess({ nodes: { ...sampleAccess().nodes, 'root-2': { url: 'https://198.51.100.2:4443', certPem: sampleAccess().controlCaPem, backend: 'dry-run' } } });
const made = (uses: number) => answered<'createEnrollmentToken'>({ id: '00112233aabbccdd', token: TOKEN, label: 'x', usesLeft: uses, expiresAt: 9_000, createdAt: 1_000, revoked: false });
const openvpnCa = issuerFromCa(createCa('root-1 OpenVPN CA'));

/** The entry root's session agent (token routes) and, separately, the root's agent a client VM enrolls at. */
function setup(session: FakeHandlers, enrollAt: FakeHandlers = {}) {
  const entry = fakeAgent(session);
  const vmSide = fakeAgent(enrollAt);
  const asked: string[] = [];
  const core = clientMachinesCore({
    access,
    currentSession: () => ({ entry: 'root-1', api: entry.withSession(SESSION_TOKEN) }) as Session,
    clientFor: (_access, node) => (asked.push(node), vmSide),
    template: () => readFirstBootTemplate(),
  });
  return { core, entry, vmSide, asked };
}

/** What the root answers a client VM: its CSR certified by the cloud's CA, in the leaf's profile. */
const enrollLikeTheRoot: FakeHandlers['enroll'] = (body) => {
  const { csr } = body as { csr: string };
  const certificate = certifyRequest(openvpnCa, readCsr(csr), 'client', { commonName: 'client-1-0a0b0c0d0e0f', now: new Date(), lifetimeDays: 30 }).certPem;
  return answered<'enroll'>({ name: 'client-1-0a0b0c0d0e0f', node: 'leaf-1-1', certificate, profile: `client\nremote leaf-1-1 1194\nkey /etc/openvpn/client/raincoat.key\n<cert>\n${certificate.trim()}\n</cert>\n` });
};

describe('the first-boot script', () => {
  it('carries a token the entry root made for that many machines, its address, its name and the control CA', async () => {
    const { core, entry } = setup({ createEnrollmentToken: () => made(3) });
    const answer = await core.handlers['clients.firstBoot']({ rootId: 1, machines: 3 });
    expect(answer).toMatchObject({ ok: true, node: 'root-1', tokenId: '00112233aabbccdd', machines: 3, expiresAt: 9_000 });
    const { script } = answer as { script: string };
    expect(script).toContain(`RAINCOAT_TOKEN='${TOKEN}'`);
    expect(script).toContain("RAINCOAT_HOST='127.0.0.1'");
    expect(script).toContain("RAINCOAT_PORT='4001'");
    expect(script).toContain("RAINCOAT_NODE='root-1'");
    expect(script).toContain(`RAINCOAT_CONTROL_CA='${access.controlCaPem.trim()}'`);
    expect(entry.calls).toEqual([{ route: 'createEnrollmentToken', session: SESSION_TOKEN, body: { uses: 3, ttlMs: SCRIPT_TOKEN_TTL_MS, label: 'first-boot script, 3 machines' } }]);
  });

  it('says why the root made no token', async () => {
    const { core } = setup({ createEnrollmentToken: () => refused('unauthenticated', 'the session token is not a live session at this node (log in again)', 401) });
    expect(await core.handlers['clients.firstBoot']({ rootId: 1, machines: 1 })).toEqual({
      ok: false,
      reason: 'root-1 did not make an enrollment token: the session token is not a live session at this node (log in again)',
    });
  });
});

describe('refusals before anything is asked of an agent', () => {
  const cases: Array<[string, Parameters<typeof clientMachinesCore>[0]['access'], Session | undefined, number, RegExp]> = [
    ['no overlay', null, undefined, 1, /^no overlay is configured/],
    ['no session', access, undefined, 1, /^log in first/],
    ['a root not deployed', access, { entry: 'root-1' } as Session, 7, /^root-7 is not in overlay "sandbox" yet: deploy it first$/],
  ];
  it.each(cases)('%s', async (_what, at, session, rootId, reason) => {
    const core = clientMachinesCore({ access: at, currentSession: () => session, clientFor: () => fakeAgent({}), template: () => readFirstBootTemplate() });
    expect(await core.handlers['clients.firstBoot']({ rootId, machines: 1 })).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    expect(await core.handlers['clients.profile']({ rootId })).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});

describe("another root's client machines, through the session at the entry root", () => {
  it('gives a first-boot script for that root, with a token the entry root had it keep', async () => {
    const { core, entry } = setup({ createEnrollmentToken: () => made(2) });
    const answer = await core.handlers['clients.firstBoot']({ rootId: 2, machines: 2 });
    expect(answer).toMatchObject({ ok: true, node: 'root-2', tokenId: '00112233aabbccdd', machines: 2 });
    const { script } = answer as { script: string };
    expect(script).toContain("RAINCOAT_HOST='198.51.100.2'");
    expect(script).toContain("RAINCOAT_PORT='4443'");
    expect(script).toContain("RAINCOAT_NODE='root-2'");
    expect(script).toContain(`RAINCOAT_TOKEN='${TOKEN}'`);
    expect(entry.calls).toEqual([{ route: 'createEnrollmentToken', session: SESSION_TOKEN, body: { uses: 2, ttlMs: SCRIPT_TOKEN_TTL_MS, label: 'first-boot script, 2 machines', rootId: 2 } }]);
  });

  it('enrolls a client profile at that root, and has the entry root revoke the token there when the root refuses', async () => {
    const { core, entry, asked } = setup(
      { createEnrollmentToken: () => made(1), revokeEnrollmentToken: () => answered<'revokeEnrollmentToken'>({ revoked: '00112233aabbccdd' }) },
      { enroll: () => refused('conflict', 'no deployed topology is in effect on this node yet', 409) },
    );
    expect(await core.handlers['clients.profile']({ rootId: 2 })).toEqual({ ok: false, reason: 'root-2 did not enroll the client: no deployed topology is in effect on this node yet' });
    expect(asked).toEqual(['root-2']);
    expect(entry.calls.map((c) => [c.route, c.body])).toEqual([
      ['createEnrollmentToken', { uses: 1, ttlMs: PROFILE_TOKEN_TTL_MS, label: 'client profile', rootId: 2 }],
      ['revokeEnrollmentToken', { id: '00112233aabbccdd', rootId: 2 }],
    ]);
  });

  it('says why the grant failed, in the entry root’s words', async () => {
    const { core } = setup({ createEnrollmentToken: () => refused('unavailable', 'root-2 did not answer within 10 s: it is down, or cut off from root-1', 503) });
    expect(await core.handlers['clients.firstBoot']({ rootId: 2, machines: 1 })).toEqual({
      ok: false,
      reason: 'root-1 could not grant root-2 an enrollment token: root-2 did not answer within 10 s: it is down, or cut off from root-1',
    });
  });
});

describe('a client profile', () => {
  it('enrolls at the root with a single-use token, as a VM would, and gives the profile with the key that matches its certificate', async () => {
    const { core, entry, vmSide, asked } = setup({ createEnrollmentToken: () => made(1) }, { enroll: enrollLikeTheRoot });
    const answer = await core.handlers['clients.profile']({ rootId: 1 });
    expect(answer).toMatchObject({ ok: true, name: 'client-1-0a0b0c0d0e0f', node: 'leaf-1-1' });
    const { profile } = answer as { profile: string };
    expect(entry.calls).toEqual([{ route: 'createEnrollmentToken', session: SESSION_TOKEN, body: { uses: 1, ttlMs: PROFILE_TOKEN_TTL_MS, label: 'client profile' } }]);
    expect(asked).toEqual(['root-1']);
    expect(vmSide.calls).toEqual([{ route: 'enroll', body: { token: TOKEN, csr: expect.stringContaining('BEGIN CERTIFICATE REQUEST'), format: 'json' } }]);
    expect(vmSide.closed).toBe(true);
    // The key file a VM's profile names gives way to the key inline, and that key is the certificate's.
    expect(profile).not.toMatch(/^key /m);
    const key = createPrivateKey(/<key>\n([\s\S]+?)\n<\/key>/.exec(profile)![1]!);
    const certificate = new X509Certificate(/<cert>\n([\s\S]+?)\n<\/cert>/.exec(profile)![1]!);
    expect(certificate.publicKey.equals(createPublicKey(key))).toBe(true);
    expect(profile.startsWith('client\nremote leaf-1-1 1194\n<cert>\n')).toBe(true);
  });

  it('revokes the unspent token when the root refuses to enroll, and says why', async () => {
    const { core, entry, vmSide } = setup(
      { createEnrollmentToken: () => made(1), revokeEnrollmentToken: () => answered<'revokeEnrollmentToken'>({ revoked: '00112233aabbccdd' }) },
      { enroll: () => refused('conflict', 'no deployed topology is in effect on this node yet', 409) },
    );
    expect(await core.handlers['clients.profile']({ rootId: 1 })).toEqual({ ok: false, reason: 'root-1 did not enroll the client: no deployed topology is in effect on this node yet' });
    expect(entry.calls.map((c) => [c.route, c.body])).toEqual([
      ['createEnrollmentToken', { uses: 1, ttlMs: PROFILE_TOKEN_TTL_MS, label: 'client profile' }],
      ['revokeEnrollmentToken', { id: '00112233aabbccdd' }],
    ]);
    expect(vmSide.closed).toBe(true);
  });

  it('inlines the key it is told to make', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const entry = fakeAgent({ createEnrollmentToken: () => made(1) });
    const core = clientMachinesCore({
      access,
      currentSession: () => ({ entry: 'root-1', api: entry.withSession(SESSION_TOKEN) }) as Session,
      clientFor: () => fakeAgent({ enroll: enrollLikeTheRoot }),
      template: () => readFirstBootTemplate(),
      newKey: () => key,
    });
    const { profile } = (await core.handlers['clients.profile']({ rootId: 1 })) as { profile: string };
    expect(profile).toContain((key.export({ type: 'pkcs8', format: 'pem' }) as string).trim());
  });
});
