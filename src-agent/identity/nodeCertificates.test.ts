import { describe, expect, it } from 'vitest';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { signCsr } from '../../src-node/x509/signCsr.ts';
import { createNodeCertificates } from './nodeCertificates.ts';

/** A CA, and certificates from it for any name with fresh keys. */
function testAuthority(name: string): { cert: X509Certificate; issue: (cn: string, now?: Date, days?: number) => { pem: string; key: ReturnType<typeof generateKeyPairSync>['publicKey'] } } {
  const ca = testCa(name);
  return {
    cert: new X509Certificate(ca.certPem),
    issue(cn, now = new Date(), days = 10) {
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return { pem: signCsr(ca, createCsr(cn, keys.privateKey), 'peer', { now, lifetimeDays: days }).certPem, key: keys.publicKey };
    },
  };
}

describe('nodeCertificates', () => {
  it('learns the key of a node certified by the control CA, and refuses what is not', () => {
    const control = testAuthority('control');
    const other = testAuthority('other');
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

  it('takes a renewed certificate of a node in place of the old one', () => {
    const control = testAuthority('control');
    const certificates = createNodeCertificates(control.cert, () => Date.now());
    certificates.learn(control.issue('leaf-1-1').pem);
    const renewed = control.issue('leaf-1-1');
    certificates.learn(renewed.pem);
    expect(certificates.publicKeyOf('leaf-1-1')?.equals(renewed.key)).toBe(true);
    expect(certificates.size).toBe(1);
  });
});
