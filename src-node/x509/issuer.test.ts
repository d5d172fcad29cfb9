import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { readCertificateFields } from './certificateReader.ts';
import { createCsr } from './certificationRequest.ts';
import { issuerFromCa } from './issuer.ts';
import { commonNameDer } from './names.ts';
import { fromPem } from './pem.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, testCa, type Scratch } from './pki.testkit.ts';
import { signCsr } from './signCsr.ts';

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

test('the fields of our own CA read back as written', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const ca = testCa('Reader CA', { now, lifetimeDays: 30 });
  const fields = readCertificateFields(fromPem(ca.certPem, 'CERTIFICATE'));
  expect(Buffer.from(fields.subjectDer)).toEqual(commonNameDer('Reader CA'));
  expect(fields.notAfter).toEqual(new Date('2026-03-31T12:00:00Z'));
  expect(Buffer.from(fields.subjectKeyId!).toString('hex')).toBe(certificateFacts(ca.certPem).subjectKeyId);
});

test('a CA made by openssl (GeneralizedTime, its own SKI) issues certificates that chain to it', (ctx) => {
  skipIf(ctx, opensslMissing);
  const made = scratch.run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-subj', '/O=Example/CN=External CA', '-days', '11000',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  expect(made.status, made.stderr).toBe(0);
  const ca = { certPem: readFileSync(path.join(scratch.dir, 'ca.crt'), 'utf8'), keyPem: readFileSync(path.join(scratch.dir, 'ca.key'), 'utf8') };
  const issuer = issuerFromCa(ca);
  expect(issuer.notAfter.getTime()).toBe(certificateFacts(ca.certPem).notAfter.getTime());
  expect(issuer.notAfter.getUTCFullYear()).toBeGreaterThan(2050);
  const issued = signCsr(ca, createCsr('client-1-1', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), 'client');
  expect(certificateFacts(issued.certPem).authorityKeyId).toBe(certificateFacts(ca.certPem).subjectKeyId);
  const verified = scratch.run('openssl', ['verify', '-CAfile', 'ca.crt', scratch.write('c.crt', issued.certPem)]);
  expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  expect(certificateFacts(issued.certPem).issuerCn).toBe('External CA');
});

test('a CA key that does not belong to the certificate is refused', () => {
  const a = testCa('A');
  const b = testCa('B');
  expect(() => issuerFromCa({ certPem: a.certPem, keyPem: b.keyPem })).toThrow(/does not match/);
});

test('what is not a certificate is refused', () => {
  expect(() => readCertificateFields(Buffer.from('3003020101', 'hex'))).toThrow(/not a certificate/);
});
