import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CsrError, createCsr } from './certificationRequest.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, testCa, type Scratch } from './pki.testkit.ts';
import { signCsr } from './signCsr.ts';

const ca = testCa('Enrolment CA');
const DAY = 86_400_000;
let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

const KEYS = {
  'EC P-256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'RSA-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
};
const read = (name: string) => readFileSync(path.join(scratch.dir, name), 'utf8');

/** A CSR made by openssl for a fresh key; returns the CSR and key PEM. */
function opensslCsr(key: keyof typeof KEYS, subject: string): { csrPem: string; keyPem: string } {
  expect(scratch.run('openssl', ['genpkey', ...KEYS[key], '-out', 'req.key']).status).toBe(0);
  const req = scratch.run('openssl', ['req', '-new', '-key', 'req.key', '-subj', subject, '-out', 'req.csr']);
  expect(req.status, req.stderr).toBe(0);
  return { csrPem: read('req.csr'), keyPem: read('req.key') };
}

/** An OpenVPN-style CA made by OpenSSL, valid 30 days: the signing side checked against an independent implementation. */
function opensslCa(key: keyof typeof KEYS): { certPem: string; keyPem: string } {
  expect(scratch.run('openssl', ['genpkey', ...KEYS[key], '-out', 'ca.key']).status).toBe(0);
  const made = scratch.run('openssl', ['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '30', '-subj', '/CN=root-4 openvpn ca', '-out', 'ca.crt',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  expect(made.status, made.stderr).toBe(0);
  return { certPem: read('ca.crt'), keyPem: read('ca.key') };
}

test.for([
  ['EC P-256', 'peer', ['digitalSignature']],
  ['RSA-2048', 'client', ['digitalSignature', 'keyEncipherment']],
] as const)('a %s request is certified as a %s with the requester key', ([key, profile, usages], ctx) => {
  skipIf(ctx, opensslMissing);
  const { csrPem, keyPem } = opensslCsr(key, '/CN=agent-root-1');
  const issued = signCsr(ca, csrPem, profile);
  expect(new X509Certificate(issued.certPem).checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
  expect(certificateFacts(issued.certPem)).toMatchObject({
    subjectCn: 'agent-root-1',
    serialHex: issued.serial,
    keyUsage: { critical: true, usages },
    basicConstraints: { ca: false },
    authorityKeyId: certificateFacts(ca.certPem).subjectKeyId,
  });
  const caFile = scratch.write('ca.crt', ca.certPem);
  const file = scratch.write('issued.crt', issued.certPem);
  expect(scratch.run('openssl', ['verify', '-CAfile', caFile, file]).stdout).toBe(`${file}: OK\n`);
});

describe.each(['EC P-256', 'RSA-2048'] as const)('with a %s CA made by OpenSSL', (key) => {
  test('a client certificate verifies for TLS clients and ends as asked, never after its CA', (ctx) => {
    skipIf(ctx, opensslMissing);
    const external = opensslCa(key);
    const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const issued = signCsr(external, createCsr('ignored-cn', client.privateKey), 'client', { commonName: 'client-4-17', now, lifetimeDays: 10 });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.subject).toBe('CN=client-4-17');
    expect(cert.publicKey.equals(client.publicKey)).toBe(true);
    expect(new Date(cert.validTo).getTime()).toBe(now.getTime() + 10 * DAY);
    expect(certificateFacts(issued.certPem)).toMatchObject({ basicConstraints: { ca: false }, extendedKeyUsage: ['1.3.6.1.5.5.7.3.2'], authorityKeyId: certificateFacts(external.certPem).subjectKeyId });
    const file = scratch.write('client.crt', issued.certPem);
    const verified = scratch.run('openssl', ['verify', '-attime', String(now.getTime() / 1000), '-purpose', 'sslclient', '-CAfile', path.join(scratch.dir, 'ca.crt'), file]);
    expect(verified.stdout, verified.stderr).toBe(`${file}: OK\n`);

    const long = signCsr(external, createCsr('c', client.privateKey), 'client', { now, lifetimeDays: 365 });
    expect(new X509Certificate(long.certPem).validTo).toBe(new X509Certificate(external.certPem).validTo);
  });
});

test('the CA names the subject when told to, whatever the request says', () => {
  const csrPem = createCsr('something-else', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  expect(certificateFacts(signCsr(ca, csrPem, 'client', { commonName: 'client-3-7' }).certPem).subjectCn).toBe('client-3-7');
});

test('a request without a common name needs one from the CA', (ctx) => {
  skipIf(ctx, opensslMissing);
  const { csrPem } = opensslCsr('EC P-256', '/O=Example');
  expect(() => signCsr(ca, csrPem, 'client')).toThrow(/no commonName/);
  expect(certificateFacts(signCsr(ca, csrPem, 'client', { commonName: 'client-1-9' }).certPem).subjectCn).toBe('client-1-9');
});

test('what is not an acceptable request is refused before anything is signed', () => {
  expect(() => signCsr(ca, 'hello', 'client')).toThrow(CsrError);
  expect(() => signCsr(ca, createCsr('old', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey), 'client')).toThrow(/too weak/);
});
