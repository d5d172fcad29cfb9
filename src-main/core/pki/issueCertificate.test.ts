import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_CERTIFICATE_LIFETIME_DAYS, type EndEntityProfile } from '../../../src-node/x509/certificateTemplate.ts';
import { certificateFacts, opensslMissing, scratchDir, skipIf, type Scratch } from '../../../src-node/x509/pki.testkit.ts';
import { DEFAULT_CA_LIFETIME_DAYS, createCa, issueCertificate } from './issueCertificate.ts';
import type { KeyType } from './keyTypes.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const SIGNATURE_OIDS: Record<KeyType, string> = { 'ecdsa-p256': '1.2.840.10045.4.3.2', 'rsa-2048': '1.2.840.113549.1.1.11' };
const EKU: Record<EndEntityProfile, string[]> = {
  server: ['1.3.6.1.5.5.7.3.1'],
  client: ['1.3.6.1.5.5.7.3.2'],
  peer: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
};
/** What `openssl verify -purpose` each profile must pass and fail. */
const PURPOSES: Record<EndEntityProfile, { pass: string[]; fail: string[] }> = {
  server: { pass: ['sslserver'], fail: ['sslclient'] },
  client: { pass: ['sslclient'], fail: ['sslserver'] },
  peer: { pass: ['sslserver', 'sslclient'], fail: [] },
};

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

describe.each(['ecdsa-p256', 'rsa-2048'] as const)('%s', (keyType) => {
  const ca = createCa('Test CA', { keyType, now: NOW });

  test('the CA is self-signed with the CA profile', (ctx) => {
    const facts = certificateFacts(ca.certPem);
    expect(facts).toMatchObject({
      subjectCn: 'Test CA',
      issuerCn: 'Test CA',
      signatureOid: SIGNATURE_OIDS[keyType],
      basicConstraints: { critical: true, ca: true, pathLength: 0 },
      keyUsage: { critical: true, usages: ['crlSign', 'keyCertSign'] },
      extendedKeyUsage: undefined,
      notBefore: new Date(NOW.getTime() - 3_600_000),
      notAfter: new Date(NOW.getTime() + DEFAULT_CA_LIFETIME_DAYS * DAY),
    });
    expect(facts.subjectKeyId).toBe(facts.publicKeySha1);
    expect(facts.authorityKeyId).toBe(facts.subjectKeyId);
    expect(new X509Certificate(ca.certPem).checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);

    skipIf(ctx, opensslMissing);
    const file = scratch.write('ca.crt', ca.certPem);
    expect(scratch.run('openssl', ['verify', '-CAfile', file, file]).stdout).toBe(`${file}: OK\n`);
    const text = scratch.run('openssl', ['x509', '-in', file, '-noout', '-text']).stdout;
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign\n/);
  });

  test.for(['server', 'client', 'peer'] as const)('a %s certificate has its profile and verifies against the CA', (profile, ctx) => {
    const issued = issueCertificate(ca, 'leaf-1-1', profile, { keyType, now: NOW });
    const facts = certificateFacts(issued.certPem);
    const usages = keyType === 'rsa-2048' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature'];
    expect(facts).toMatchObject({
      subjectCn: 'leaf-1-1',
      issuerCn: 'Test CA',
      serialHex: issued.serial,
      signatureOid: SIGNATURE_OIDS[keyType],
      basicConstraints: { critical: true, ca: false, pathLength: undefined },
      keyUsage: { critical: true, usages },
      extendedKeyUsage: EKU[profile],
      authorityKeyId: certificateFacts(ca.certPem).subjectKeyId,
      notAfter: new Date(NOW.getTime() + DEFAULT_CERTIFICATE_LIFETIME_DAYS * DAY),
    });
    expect(facts.subjectKeyId).toBe(facts.publicKeySha1);
    expect(issued.serial).toMatch(/^(?!00)[0-7][0-9a-f]{31}$/);
    expect(issued.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(new X509Certificate(issued.certPem).checkPrivateKey(createPrivateKey(issued.keyPem))).toBe(true);

    skipIf(ctx, opensslMissing);
    const caFile = scratch.write('ca.crt', ca.certPem);
    const file = scratch.write('cert.crt', issued.certPem);
    expect(scratch.run('openssl', ['verify', '-CAfile', caFile, file]).stdout).toBe(`${file}: OK\n`);
    for (const purpose of PURPOSES[profile].pass) {
      expect(scratch.run('openssl', ['verify', '-purpose', purpose, '-CAfile', caFile, file]).status, purpose).toBe(0);
    }
    for (const purpose of PURPOSES[profile].fail) {
      expect(scratch.run('openssl', ['verify', '-purpose', purpose, '-CAfile', caFile, file]).status, purpose).not.toBe(0);
    }
  });
});

test('subject alternative names are encoded as given', (ctx) => {
  skipIf(ctx, opensslMissing);
  const ca = createCa('Test CA');
  const issued = issueCertificate(ca, 'agent', 'peer', { altNames: [{ type: 'dns', value: 'root-1.overlay' }, { type: 'ip', value: '10.1.0.1' }] });
  const text = scratch.run('openssl', ['x509', '-in', scratch.write('c.crt', issued.certPem), '-noout', '-ext', 'subjectAltName']).stdout;
  expect(text).toContain('DNS:root-1.overlay, IP Address:10.1.0.1');
});

test('certificates never outlive their CA', () => {
  const ca = createCa('Short CA', { now: NOW, lifetimeDays: 100 });
  const issued = issueCertificate(ca, 'x', 'client', { now: NOW, lifetimeDays: 825 });
  expect(certificateFacts(issued.certPem).notAfter).toEqual(certificateFacts(ca.certPem).notAfter);
});

test('a CA can allow a longer path', () => {
  expect(certificateFacts(createCa('Parent CA', { pathLength: 1 }).certPem).basicConstraints?.pathLength).toBe(1);
});

test('serials and keys are fresh for every certificate', () => {
  const ca = createCa('Test CA');
  const issued = Array.from({ length: 20 }, () => issueCertificate(ca, 'same name', 'client'));
  expect(new Set(issued.map((c) => c.serial)).size).toBe(20);
  expect(new Set(issued.map((c) => c.keyPem)).size).toBe(20);
});
