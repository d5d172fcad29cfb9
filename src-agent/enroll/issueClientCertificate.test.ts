import { describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCsr, readCsr } from '../identity/csr.ts';
import { issueClientCertificate } from './issueClientCertificate.ts';

/** An OpenVPN-style CA made by OpenSSL, so the issued certificate is checked against an independent implementation. */
function opensslCa(dir: string, algorithm: readonly string[]): { certPem: string; keyPem: string } {
  const key = path.join(dir, 'ca.key');
  const crt = path.join(dir, 'ca.crt');
  execFileSync('openssl', ['genpkey', ...algorithm, '-out', key], { stdio: 'pipe' });
  execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-sha256', '-days', '30', '-subj', '/CN=root-4 openvpn ca', '-out', crt,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'pipe' });
  return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

describe('issueClientCertificate', () => {
  it.for([
    ['an EC CA', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ['an RSA CA', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
  ] as const)('issues a client certificate that OpenSSL verifies against %s', ([, algorithm], ctx) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'issue-'));
    try {
      let ca: { certPem: string; keyPem: string };
      try {
        ca = opensslCa(dir, algorithm);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ctx.skip('openssl is not installed');
        throw error;
      }
      const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const request = readCsr(createCsr('ignored-cn', client.privateKey));
      const now = new Date(Math.floor(Date.now() / 1000) * 1000);
      const pem = issueClientCertificate({ caCertPem: ca.certPem, caKey: createPrivateKey(ca.keyPem), commonName: 'client-4-17', spki: request.spki, now, validDays: 10 });
      const cert = new X509Certificate(pem);
      expect(cert.subject).toBe('CN=client-4-17');
      expect(cert.publicKey.equals(client.publicKey)).toBe(true);
      expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
      expect(new Date(cert.validTo).getTime()).toBe(now.getTime() + 10 * 86_400_000);
      // Never past its CA (valid 30 days here).
      const long = issueClientCertificate({ caCertPem: ca.certPem, caKey: createPrivateKey(ca.keyPem), commonName: 'c', spki: request.spki, now, validDays: 365 });
      expect(new X509Certificate(long).validTo).toBe(new X509Certificate(ca.certPem).validTo);
      writeFileSync(path.join(dir, 'client.crt'), pem);
      const verified = execFileSync('openssl', ['verify', '-attime', String(now.getTime() / 1000), '-purpose', 'sslclient', '-CAfile', path.join(dir, 'ca.crt'), path.join(dir, 'client.crt')], { encoding: 'utf8' });
      expect(verified).toContain('OK');
      const text = execFileSync('openssl', ['x509', '-in', path.join(dir, 'client.crt'), '-noout', '-text'], { encoding: 'utf8' });
      expect(text).toMatch(/CA:FALSE/);
      expect(text).toMatch(/TLS Web Client Authentication/);
      expect(text).toMatch(/Authority Key Identifier/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to sign with a key that is not the CA certificate\'s', (ctx) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'issue-'));
    try {
      let ca: { certPem: string; keyPem: string };
      try {
        ca = opensslCa(dir, ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ctx.skip('openssl is not installed');
        throw error;
      }
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const spki = readCsr(createCsr('c', stranger)).spki;
      expect(() => issueClientCertificate({ caCertPem: ca.certPem, caKey: stranger, commonName: 'c', spki, now: new Date(), validDays: 1 })).toThrow(/does not match/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
