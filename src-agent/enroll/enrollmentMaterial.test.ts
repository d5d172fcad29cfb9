import { describe, expect, it } from 'vitest';
import { certificateFacts, testCa } from '../../src-node/x509/pki.testkit.ts';
import { CERTIFICATE_PLACEHOLDER, completeProfile, readEnrollmentMaterial } from './enrollmentMaterial.ts';

const ca = testCa('Raincoat OpenVPN CA root-1');
const other = testCa('another CA');
const key = ca.keyPem;
const file = (content: string) => ({ content, mode: 0o644 });
const profile = `client\n<cert>\n${CERTIFICATE_PLACEHOLDER}\n</cert>\n`;

describe('readEnrollmentMaterial', () => {
  it("reads a root's CA and its leaves' profiles", () => {
    const material = readEnrollmentMaterial(
      {
        'enrollment/ca.crt': file(ca.certPem),
        'enrollment/ca.key': { content: key, mode: 0o600 },
        'enrollment/leaves/leaf-1-2.ovpn': file(profile),
        'enrollment/leaves/leaf-1-1.ovpn': file(profile),
        'openvpn/server.conf': file('x'),
      },
      'root',
    );
    expect(material.role === 'root' && [...material.leafProfiles.keys()]).toEqual(['leaf-1-1', 'leaf-1-2']);
    expect(material.role === 'root' && Buffer.from(material.ca.keyId).toString('hex')).toBe(certificateFacts(ca.certPem).subjectKeyId);
  });

  it.each([
    [{}, 'leaf', 'the deployed part has no enrollment/client.ovpn'],
    [{ 'enrollment/client.ovpn': file('client\n') }, 'leaf', 'enrollment/client.ovpn has no {{client-certificate}} placeholder'],
    [{ 'enrollment/ca.crt': file('CA'), 'enrollment/ca.key': file(key) }, 'root', 'the deployed part has no client profiles under enrollment/leaves/'],
    [{ 'enrollment/leaves/leaf-1-1.ovpn': file(profile), 'enrollment/ca.key': file(key) }, 'root', 'the deployed part has no enrollment/ca.crt'],
    [{ 'enrollment/leaves/leaf-1-1.ovpn': file(profile), 'enrollment/ca.crt': file(other.certPem), 'enrollment/ca.key': file(key) }, 'root', 'the CA key does not match the CA certificate'],
  ] as const)('says what is missing: %j as a %s', (files, role, message) => {
    expect(() => readEnrollmentMaterial(files, role)).toThrow(message);
  });
});

describe('completeProfile', () => {
  it('puts the certificate in its place', () => {
    expect(completeProfile(profile, '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n')).toBe('client\n<cert>\n-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n</cert>\n');
  });
});
