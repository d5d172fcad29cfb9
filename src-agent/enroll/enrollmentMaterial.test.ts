import { describe, expect, it } from 'vitest';
import { generateTlsCryptV2ServerKey } from '../../src-node/openvpn/tlsCryptV2.ts';
import { unwrapTlsCryptV2ClientKey } from '../../src-node/openvpn/tlsCryptV2.testkit.ts';
import { certificateFacts, testCa } from '../../src-node/x509/pki.testkit.ts';
import { CERTIFICATE_PLACEHOLDER, TLS_CRYPT_V2_PLACEHOLDER } from '../../src-shared/protocol/enrollmentFiles.ts';
import { completeProfile, readEnrollmentMaterial } from './enrollmentMaterial.ts';

const ca = testCa('Raincoat OpenVPN CA root-1');
const other = testCa('another CA');
const key = ca.keyPem;
const serverKey = generateTlsCryptV2ServerKey();
const file = (content: string) => ({ content, mode: 0o644 });
const secret = (content: string) => ({ content, mode: 0o600 });
const profile = `client\n<cert>\n${CERTIFICATE_PLACEHOLDER}\n</cert>\n`;
const v2Profile = `${profile}<tls-crypt-v2>\n${TLS_CRYPT_V2_PLACEHOLDER}\n</tls-crypt-v2>\n`;
const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n';
const NOW = new Date('2026-12-07T12:00:00Z');

describe('readEnrollmentMaterial', () => {
  it("reads a root's CA and its leaves' profiles", () => {
    const material = readEnrollmentMaterial(
      {
        'enrollment/ca.crt': file(ca.certPem),
        'enrollment/ca.key': secret(key),
        'enrollment/leaves/leaf-1-2.ovpn': file(profile),
        'enrollment/leaves/leaf-1-1.ovpn': file(profile),
        'openvpn/server.conf': file('x'),
      },
      'root',
    );
    expect(material.role === 'root' && [...material.leafProfiles.keys()]).toEqual(['leaf-1-1', 'leaf-1-2']);
    expect(material.role === 'root' && Buffer.from(material.ca.keyId).toString('hex')).toBe(certificateFacts(ca.certPem).subjectKeyId);
    expect(material.tlsCryptV2ServerKey).toBeUndefined();
  });

  it.each([
    ['root', { 'enrollment/ca.crt': file(ca.certPem), 'enrollment/ca.key': secret(key), 'enrollment/leaves/leaf-1-1.ovpn': file(profile), 'enrollment/leaves/leaf-1-2.ovpn': file(v2Profile) }],
    ['leaf', { 'enrollment/client.ovpn': file(v2Profile) }],
  ] as const)('at a %s, reads the tls-crypt-v2 server key where a template asks for client keys', (role, files) => {
    expect(readEnrollmentMaterial({ ...files, 'enrollment/tls-crypt-v2-server.key': secret(serverKey) }, role).tlsCryptV2ServerKey).toBe(serverKey);
  });

  it.each([
    [{}, 'leaf', 'the deployed part has no enrollment/client.ovpn'],
    [{ 'enrollment/client.ovpn': file('client\n') }, 'leaf', 'enrollment/client.ovpn has no {{client-certificate}} placeholder'],
    [{ 'enrollment/client.ovpn': file(v2Profile) }, 'leaf', 'the deployed part has no enrollment/tls-crypt-v2-server.key'],
    [{ 'enrollment/client.ovpn': file(v2Profile), 'enrollment/tls-crypt-v2-server.key': secret(ca.keyPem) }, 'leaf', 'tls-crypt-v2 server key'],
    [{ 'enrollment/ca.crt': file('CA'), 'enrollment/ca.key': file(key) }, 'root', 'the deployed part has no client profiles under enrollment/leaves/'],
    [{ 'enrollment/leaves/leaf-1-1.ovpn': file(profile), 'enrollment/ca.key': file(key) }, 'root', 'the deployed part has no enrollment/ca.crt'],
    [{ 'enrollment/leaves/leaf-1-1.ovpn': file(profile), 'enrollment/ca.crt': file(other.certPem), 'enrollment/ca.key': file(key) }, 'root', 'the CA key does not match the CA certificate'],
    [{ 'enrollment/leaves/leaf-1-1.ovpn': file(v2Profile), 'enrollment/ca.crt': file(ca.certPem), 'enrollment/ca.key': file(key) }, 'root', 'the deployed part has no enrollment/tls-crypt-v2-server.key'],
  ] as const)('says what is missing: %j as a %s', (files, role, message) => {
    expect(() => readEnrollmentMaterial(files, role)).toThrow(message);
  });
});

describe('completeProfile', () => {
  it('puts the certificate in its place', () => {
    expect(completeProfile(profile, CERTIFICATE, undefined, NOW)).toBe('client\n<cert>\n-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n</cert>\n');
  });

  it('makes each client a tls-crypt-v2 key of its own that unwraps under the server key, with its creation time', () => {
    const keyOf = (ovpn: string) => /<tls-crypt-v2>\n([\s\S]*?)\n<\/tls-crypt-v2>/.exec(ovpn)![1]!;
    const first = completeProfile(v2Profile, CERTIFICATE, serverKey, NOW);
    expect(first).toContain(`<cert>\n${CERTIFICATE.trim()}\n</cert>`);
    expect(first).not.toContain(TLS_CRYPT_V2_PLACEHOLDER);
    const opened = unwrapTlsCryptV2ClientKey(serverKey, `${keyOf(first)}\n`);
    expect(Number(opened!.metadata.readBigUInt64BE(1))).toBe(NOW.getTime() / 1000);
    expect(unwrapTlsCryptV2ClientKey(generateTlsCryptV2ServerKey(), `${keyOf(first)}\n`)).toBeUndefined();
    expect(keyOf(completeProfile(v2Profile, CERTIFICATE, serverKey, NOW))).not.toBe(keyOf(first));
  });

  it('refuses a template asking for a tls-crypt-v2 key without a server key', () => {
    expect(() => completeProfile(v2Profile, CERTIFICATE, undefined, NOW)).toThrow('there is no server key');
  });
});
