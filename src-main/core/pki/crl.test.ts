import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readCrl, revokeSerials } from './crl.ts';
import { createCa, issueCertificate } from './issueCertificate.ts';
import { opensslMissing, scratchDir, skipIf, type Scratch } from '../../../src-node/x509/pki.testkit.ts';

const T0 = new Date('2026-03-01T12:00:00Z');
const T1 = new Date('2026-04-01T12:00:00Z');

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

describe.each(['ecdsa-p256', 'rsa-2048'] as const)('%s', (keyType) => {
  const ca = createCa('CRL CA', { keyType, now: T0 });
  const revoked = issueCertificate(ca, 'client-1-1', 'client', { keyType, now: T0 });
  const kept = issueCertificate(ca, 'client-1-2', 'client', { keyType, now: T0 });

  test('a new CA has an empty CRL, number 1, that verifies', (ctx) => {
    expect(ca.revokedSerials).toEqual([]);
    expect(readCrl(ca.crlPem)).toEqual({ crlNumber: 1, revocations: [] });
    skipIf(ctx, opensslMissing);
    const result = scratch.run('openssl', ['crl', '-in', scratch.write('crl.pem', ca.crlPem), '-CAfile', scratch.write('ca.crt', ca.certPem), '-verify', '-noout', '-text']);
    expect(result.stderr).toContain('verify OK');
    expect(result.stdout).toContain('No Revoked Certificates.');
  });

  test('revoking lists the serial in a CRL that verifies and shuts that certificate out', (ctx) => {
    const after = revokeSerials(ca, [revoked.serial], T1);
    expect(after.revokedSerials).toEqual([revoked.serial]);
    expect(after.certPem).toBe(ca.certPem);
    expect(after.keyPem).toBe(ca.keyPem);
    expect(readCrl(after.crlPem)).toEqual({ crlNumber: 2, revocations: [{ serial: revoked.serial, date: T1 }] });

    skipIf(ctx, opensslMissing);
    const caFile = scratch.write('ca.crt', ca.certPem);
    const crlFile = scratch.write('crl.pem', after.crlPem);
    const crl = scratch.run('openssl', ['crl', '-in', crlFile, '-CAfile', caFile, '-verify', '-noout', '-text']);
    expect(crl.stderr).toContain('verify OK');
    expect(crl.stdout).toContain(`Serial Number: ${revoked.serial.toUpperCase()}`);
    expect(crl.stdout).not.toContain(kept.serial.toUpperCase());
    const check = (cert: string) => scratch.run('openssl', ['verify', '-crl_check', '-CRLfile', crlFile, '-CAfile', caFile, scratch.write('c.crt', cert)]);
    expect(check(revoked.certPem).stdout + check(revoked.certPem).stderr).toContain('certificate revoked');
    expect(check(kept.certPem).status).toBe(0);
  });

  test('revoking more keeps earlier revocation dates and raises the CRL number', () => {
    const first = revokeSerials(ca, [revoked.serial], T0);
    const second = revokeSerials(first, [kept.serial, revoked.serial.toUpperCase()], T1);
    expect(second.revokedSerials).toEqual([revoked.serial, kept.serial]);
    expect(readCrl(second.crlPem)).toEqual({
      crlNumber: 3,
      revocations: [
        { serial: revoked.serial, date: T0 },
        { serial: kept.serial, date: T1 },
      ],
    });
  });

  test('revoking nothing new returns the CA unchanged', () => {
    const first = revokeSerials(ca, [revoked.serial], T0);
    expect(revokeSerials(first, [revoked.serial], T1)).toBe(first);
    expect(revokeSerials(ca, [], T1)).toBe(ca);
  });
});

test('serials with the top bit set stay positive in the CRL', () => {
  const ca = createCa('CRL CA', { now: T0 });
  const after = revokeSerials(ca, ['ff01', '00ab'], T0);
  expect(readCrl(after.crlPem).revocations.map((r) => r.serial)).toEqual(['ff01', 'ab']);
});
