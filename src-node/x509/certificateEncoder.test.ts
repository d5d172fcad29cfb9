import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { keyIdentifier } from './certificateEncoder.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, type Scratch } from './pki.testkit.ts';

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

test.for([
  ['EC', 'ec_paramgen_curve:P-256'],
  ['RSA', 'rsa_keygen_bits:2048'],
] as const)('keyIdentifier gives the subject key identifier openssl computes for an %s key', ([algorithm, parameter], ctx) => {
  skipIf(ctx, opensslMissing);
  expect(scratch.run('openssl', ['genpkey', '-algorithm', algorithm, '-pkeyopt', parameter, '-out', 'k.pem']).status).toBe(0);
  expect(scratch.run('openssl', ['req', '-x509', '-new', '-key', 'k.pem', '-subj', '/CN=x', '-days', '1', '-out', 'c.pem']).status).toBe(0);
  const pem = readFileSync(path.join(scratch.dir, 'c.pem'), 'utf8');
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  expect(certificateFacts(pem).subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
  expect(keyIdentifier(spki).toString('hex')).toBe(certificateFacts(pem).subjectKeyId);
});

test('what is not a SubjectPublicKeyInfo has no key identifier', () => {
  expect(() => keyIdentifier(Buffer.from('3003020101', 'hex'))).toThrow(/SubjectPublicKeyInfo/);
});
