import { createPrivateKey } from 'node:crypto';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createCa, issueCertificate } from './issueCertificate.ts';
import { exportPkcs12 } from './pkcs12.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, type Scratch } from '../../../src-node/x509/pki.testkit.ts';

const PASSWORD = 'correct horse 42';
let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

const pkcs8Hex = (pem: string) => createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }).toString('hex');

test.for(['ecdsa-p256', 'rsa-2048'] as const)('a %s bundle opens with openssl: certificate, chain and key', (keyType, ctx) => {
  const ca = createCa('Bundle CA', { keyType });
  const client = issueCertificate(ca, 'client-1-1', 'client', { keyType });
  const bundle = exportPkcs12(client, PASSWORD, { chainPems: [ca.certPem], friendlyName: 'client-1-1' });
  skipIf(ctx, opensslMissing);
  const file = scratch.write('client.p12', bundle);
  const pass = `pass:${PASSWORD}`;

  const certs = scratch.run('openssl', ['pkcs12', '-in', file, '-passin', pass, '-nokeys']);
  expect(certs.status, certs.stderr).toBe(0);
  const pems = certs.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
  expect(pems.map((pem) => certificateFacts(pem).subjectCn)).toEqual(['client-1-1', 'Bundle CA']);
  expect(pems[0]).toBe(client.certPem);
  expect(certs.stdout).toContain('friendlyName: client-1-1');

  const key = scratch.run('openssl', ['pkcs12', '-in', file, '-passin', pass, '-nocerts', '-nodes']);
  expect(key.status, key.stderr).toBe(0);
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(key.stdout)?.[0];
  expect(pkcs8Hex(keyPem ?? '')).toBe(pkcs8Hex(client.keyPem));

  const info = scratch.run('openssl', ['pkcs12', '-in', file, '-passin', pass, '-info', '-noout']);
  expect(info.stderr).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC');
  expect(info.stderr).toContain('MAC: sha256');

  expect(scratch.run('openssl', ['pkcs12', '-in', file, '-passin', 'pass:wrong', '-nokeys']).status).not.toBe(0);
});

test('passwords outside printable ASCII are refused', () => {
  const ca = createCa('Bundle CA');
  expect(() => exportPkcs12(ca, '')).toThrow(/printable ASCII/);
  expect(() => exportPkcs12(ca, 'pässword')).toThrow(/printable ASCII/);
});
