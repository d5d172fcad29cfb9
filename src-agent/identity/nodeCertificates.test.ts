import { describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueClientCertificate } from '../enroll/issueClientCertificate.ts';
import { createCsr, readCsr } from './csr.ts';
import { createNodeCertificates } from './nodeCertificates.ts';

/** A CA made by OpenSSL, and certificates from it for any name (made with the agent's own issuing code). */
function testCa(name: string): { cert: X509Certificate; issue: (cn: string, now?: Date, days?: number) => { pem: string; key: ReturnType<typeof generateKeyPairSync>['publicKey'] } } | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'nodecerts-'));
  try {
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path.join(dir, 'k')], { stdio: 'pipe' });
    execFileSync('openssl', ['req', '-x509', '-new', '-key', path.join(dir, 'k'), '-days', '30', '-subj', `/CN=${name}`, '-out', path.join(dir, 'c'), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], { stdio: 'pipe' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const caCertPem = readFileSync(path.join(dir, 'c'), 'utf8');
  const caKey = createPrivateKey(readFileSync(path.join(dir, 'k'), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  return {
    cert: new X509Certificate(caCertPem),
    issue(cn, now = new Date(), days = 10) {
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return { pem: issueClientCertificate({ caCertPem, caKey, commonName: cn, spki: readCsr(createCsr(cn, keys.privateKey)).spki, now, validDays: days }), key: keys.publicKey };
    },
  };
}

describe('nodeCertificates', () => {
  it('learns the key of a node certified by the control CA, and refuses what is not', (ctx) => {
    const control = testCa('control');
    const other = testCa('other');
    if (!control || !other) return ctx.skip('openssl is not installed');
    const certificates = createNodeCertificates(control.cert, () => Date.now());
    const root2 = control.issue('root-2');
    expect(certificates.learn(root2.pem)).toEqual({ node: 'root-2' });
    expect(certificates.publicKeyOf('root-2')?.equals(root2.key)).toBe(true);
    expect(certificates.certificateOf('root-2')).toBe(root2.pem);

    expect(certificates.learn(other.issue('root-3').pem)).toEqual({ refused: 'the certificate of root-3 is not issued by the control CA' });
    expect(certificates.learn(control.issue('harness').pem)).toEqual({ refused: 'the origin certificate names no node' });
    expect(certificates.learn(control.issue('root-4', new Date(Date.now() - 20 * 86_400_000), 5).pem)).toEqual({ refused: 'the certificate of root-4 is not valid now' });
    expect(certificates.learn('garbage')).toEqual({ refused: 'the origin certificate is not a readable PEM certificate' });
    expect(certificates.publicKeyOf('root-3')).toBeUndefined();
    expect(certificates.size).toBe(1);
  });

  it('takes a renewed certificate of a node in place of the old one', (ctx) => {
    const control = testCa('control');
    if (!control) return ctx.skip('openssl is not installed');
    const certificates = createNodeCertificates(control.cert, () => Date.now());
    certificates.learn(control.issue('leaf-1-1').pem);
    const renewed = control.issue('leaf-1-1');
    certificates.learn(renewed.pem);
    expect(certificates.publicKeyOf('leaf-1-1')?.equals(renewed.key)).toBe(true);
    expect(certificates.size).toBe(1);
  });
});
