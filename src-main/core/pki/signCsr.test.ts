import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createCa } from './issueCertificate.ts';
import { fromPem, toPem } from './pem.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, type Scratch } from './pkiTestKit.ts';
import { readCertificateRequest, signCsr } from './signCsr.ts';

const ca = createCa('Enrolment CA');
let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

const KEYS = {
  'EC P-256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'RSA-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'RSA-1024': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
};

/** A CSR made by openssl for a fresh key; returns the CSR and key PEM. */
function opensslCsr(key: keyof typeof KEYS, subject: string): { csrPem: string; keyPem: string } {
  expect(scratch.run('openssl', ['genpkey', ...KEYS[key], '-out', 'req.key']).status).toBe(0);
  const req = scratch.run('openssl', ['req', '-new', '-key', 'req.key', '-subj', subject, '-out', 'req.csr']);
  expect(req.status, req.stderr).toBe(0);
  const read = (name: string) => readFileSync(path.join(scratch.dir, name), 'utf8');
  return { csrPem: read('req.csr'), keyPem: read('req.key') };
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

test('the CA names the subject when told to, whatever the request says', (ctx) => {
  skipIf(ctx, opensslMissing);
  const { csrPem } = opensslCsr('EC P-256', '/CN=something-else');
  expect(certificateFacts(signCsr(ca, csrPem, 'client', { commonName: 'client-3-7' }).certPem).subjectCn).toBe('client-3-7');
});

test('a request with a bad signature is rejected', (ctx) => {
  skipIf(ctx, opensslMissing);
  const { csrPem } = opensslCsr('EC P-256', '/CN=client-1-1');
  const der = fromPem(csrPem, 'CERTIFICATE REQUEST');
  const tamperedSignature = Buffer.from(der);
  tamperedSignature[tamperedSignature.length - 1]! ^= 0x01;
  expect(() => signCsr(ca, toPem('CERTIFICATE REQUEST', tamperedSignature), 'client')).toThrow(/bad signature/);
  // The subject's last character (in the signed part) changed: the signature no longer covers it.
  const tamperedSubject = Buffer.from(der.toString('binary').replace('client-1-1', 'client-1-2'), 'binary');
  expect(() => signCsr(ca, toPem('CERTIFICATE REQUEST', tamperedSubject), 'client')).toThrow(/bad signature/);
});

test('a request with a weak key is rejected', (ctx) => {
  skipIf(ctx, opensslMissing);
  expect(() => signCsr(ca, opensslCsr('RSA-1024', '/CN=old').csrPem, 'client')).toThrow(/too weak/);
});

test('a request without a common name needs one from the CA', (ctx) => {
  skipIf(ctx, opensslMissing);
  const { csrPem } = opensslCsr('EC P-256', '/O=Example');
  expect(readCertificateRequest(csrPem).commonName).toBeUndefined();
  expect(() => signCsr(ca, csrPem, 'client')).toThrow(/no commonName/);
  expect(certificateFacts(signCsr(ca, csrPem, 'client', { commonName: 'client-1-9' }).certPem).subjectCn).toBe('client-1-9');
});

test('what is not a request is rejected', () => {
  expect(() => signCsr(ca, 'hello', 'client')).toThrow(/CERTIFICATE REQUEST/);
  expect(() => signCsr(ca, toPem('CERTIFICATE REQUEST', Buffer.from('300300', 'hex')), 'client')).toThrow(/DER|request/);
  expect(() => signCsr(ca, ca.certPem.replace(/CERTIFICATE/g, 'CERTIFICATE REQUEST'), 'client')).toThrow(/request|signature/);
});
