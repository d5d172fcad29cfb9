// Client enrollment: a root's answer (its leaves' templates completed), and its refusals: a request the root cannot read
// counts against its source like a wrong token does.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTlsCryptV2ServerKey } from '../../src-node/openvpn/tlsCryptV2.ts';
import { unwrapTlsCryptV2ClientKey } from '../../src-node/openvpn/tlsCryptV2.testkit.ts';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { issuerFromCa } from '../../src-node/x509/issuer.ts';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { CERTIFICATE_PLACEHOLDER, TLS_CRYPT_V2_PLACEHOLDER } from '../../src-shared/protocol/enrollmentFiles.ts';
import type { Issuer } from '../../src-node/x509/issuer.ts';
import { createLoginRateLimiter } from '../administrator/loginRateLimiter.ts';
import { Refusal } from '../wire/refusal.ts';
import type { PeerClient } from '../wire/peerClient.ts';
import { clientEnrollmentHandlers } from './clientEnrollment.ts';
import type { EnrollmentTokens } from './enrollmentTokens.ts';

const MAX_FAILURES = 3;
const SOURCE = '192.0.2.7';

function setup(role: 'root' | 'leaf', rootAnswer?: { status: number; json?: unknown; text?: string }) {
  const consumed: string[] = [];
  const tokens = { consume: async (token: string) => (consumed.push(token), { ok: false, reason: 'no such token' }) } as unknown as EnrollmentTokens;
  const client = {
    request: async () => ({ status: rootAnswer!.status, body: Buffer.from(rootAnswer!.text ?? JSON.stringify(rootAnswer!.json)) }),
  } as unknown as PeerClient;
  const { enroll } = clientEnrollmentHandlers({
    self: role === 'root' ? 'root-1' : 'leaf-1-1',
    rootId: 1,
    role,
    tokens: role === 'root' ? tokens : undefined,
    grants: undefined,
    // The CA is never reached: every request here is refused before signing.
    material: async () =>
      role === 'root' ? { role, ca: {} as Issuer, leafProfiles: new Map([['leaf-1-1', 'profile']]), tlsCryptV2ServerKey: undefined } : { role, profile: 'profile', tlsCryptV2ServerKey: undefined },
    client,
    rootTarget: () => ({ node: 'root-1', url: 'https://127.0.0.1:1' }),
    limiter: createLoginRateLimiter({ now: () => 0, maxFailures: MAX_FAILURES }),
    now: () => 0,
    log: () => {},
  });
  const attemptRefusal = async (csr: string) => {
    try {
      await enroll.handle({ node: undefined, bearer: undefined, address: SOURCE }, { token: 'rce_x', csr, format: 'json' });
    } catch (error) {
      if (error instanceof Refusal) return { code: error.code, reason: error.message };
      throw error;
    }
    return undefined;
  };
  const attempt = async (csr: string) => (await attemptRefusal(csr))?.code ?? 'accepted';
  return { attempt, attemptRefusal, consumed };
}

describe('/v1/enroll', () => {
  it('counts requests whose CSR cannot be read against their source, without spending a token use', async () => {
    const { attempt, consumed } = setup('root');
    const codes = [];
    for (let i = 0; i <= MAX_FAILURES; i++) codes.push(await attempt('not a csr'));
    expect(codes).toEqual([...Array<string>(MAX_FAILURES).fill('malformed'), 'rate_limited']);
    expect(consumed).toEqual([]);
  });

  it('at a leaf, counts a CSR its root found malformed against the source', async () => {
    const { attempt } = setup('leaf', { status: 400, json: { error: 'malformed', reason: 'csr: not a readable certification request' } });
    const codes = [];
    for (let i = 0; i <= MAX_FAILURES; i++) codes.push(await attempt('not a csr'));
    expect(codes).toEqual([...Array<string>(MAX_FAILURES).fill('malformed'), 'rate_limited']);
  });

  it.each([
    ['a refusal the client may be told', { status: 403, json: { error: 'forbidden', reason: 'the enrollment token was revoked' } }, 'forbidden', 'root-1: the enrollment token was revoked'],
    ['a refusal of this leaf, not of the client', { status: 403, json: { error: 'unknown_peer', reason: 'leaf-1-1 is not a neighbour of this node' } }, 'unavailable', 'root-1: leaf-1-1 is not a neighbour of this node'],
    ['an answer that is not JSON', { status: 502, text: '<html>Bad gateway</html>' }, 'unavailable', 'root-1 answered 502 with something that is not JSON'],
    ['a signed answer without its certificate', { status: 200, json: { name: 'client-1-a' } }, 'unavailable', 'root-1 answered with no certificate: certificate: missing, Invalid input: expected string, received undefined'],
  ])('at a leaf, passes on %s as its root said it, or as unavailable', async (_what, rootAnswer, code, reason) => {
    const { attemptRefusal } = setup('leaf', rootAnswer);
    expect(await attemptRefusal('any csr')).toEqual({ code, reason });
  });
});

describe('/v1/enroll at a root', () => {
  const ca = testCa('root-1 OpenVPN CA');
  const serverKey = generateTlsCryptV2ServerKey();
  const template = (leaf: string) => `client\nremote ${leaf}.example 1194\n<cert>\n${CERTIFICATE_PLACEHOLDER}\n</cert>\n<tls-crypt-v2>\n${TLS_CRYPT_V2_PLACEHOLDER}\n</tls-crypt-v2>\n`;
  const NOW = Date.UTC(2026, 11, 7, 12);

  it("signs with the cloud's CA and makes each client a tls-crypt-v2 key of its own under the server key, spreading clients over the leaves", async () => {
    let uses = 2;
    const tokens = { consume: async () => (uses-- > 0 ? { ok: true, id: 'token-1' } : { ok: false, reason: 'the enrollment token has been used up' }) } as unknown as EnrollmentTokens;
    const { enroll } = clientEnrollmentHandlers({
      self: 'root-1',
      rootId: 1,
      role: 'root',
      tokens,
      grants: undefined,
      material: async () => ({ role: 'root', ca: issuerFromCa(ca), leafProfiles: new Map([['leaf-1-1', template('leaf-1-1')], ['leaf-1-2', template('leaf-1-2')]]), tlsCryptV2ServerKey: serverKey }),
      client: {} as PeerClient,
      rootTarget: () => undefined,
      limiter: createLoginRateLimiter({ now: () => NOW, maxFailures: MAX_FAILURES }),
      now: () => NOW,
      log: () => {},
    });
    const enrollOne = async () => {
      const csr = createCsr('vm', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
      const answer = await enroll.handle({ node: undefined, bearer: undefined, address: SOURCE }, { token: 'rce_x', csr, format: 'json' });
      return (answer as { json: { node: string; certificate: string; profile: string } }).json;
    };
    const keys = [];
    for (const leaf of ['leaf-1-1', 'leaf-1-2']) {
      const { node, certificate, profile } = await enrollOne();
      expect(node).toBe(leaf);
      expect(new X509Certificate(certificate).checkIssued(new X509Certificate(ca.certPem))).toBe(true);
      expect(profile).toContain(`remote ${leaf}.example 1194\n<cert>\n${certificate.trim()}\n</cert>`);
      const key = /<tls-crypt-v2>\n([\s\S]*?)\n<\/tls-crypt-v2>/.exec(profile)![1]!;
      const opened = unwrapTlsCryptV2ClientKey(serverKey, `${key}\n`);
      expect(Number(opened!.metadata.readBigUInt64BE(1))).toBe(NOW / 1000);
      keys.push(key);
    }
    expect(keys[0]).not.toBe(keys[1]);
    await expect(enrollOne()).rejects.toThrow('the enrollment token has been used up');
  });
});
