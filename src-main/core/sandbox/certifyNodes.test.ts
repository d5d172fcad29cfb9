import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCsr } from '../../../src-node/x509/certificationRequest.ts';
import { createCa } from '../pki/issueCertificate.ts';
import { certifyNodes } from './certifyNodes.ts';

const ca = createCa('sandbox control CA (test)');
const csr = (name: string) => createCsr(name, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

describe('certifyNodes', () => {
  it("certifies each node's key under its name, whatever name its request carries", () => {
    const certs = certifyNodes(ca, { 'root-1': csr('root-1'), 'leaf-1-1': csr('someone-else') }, ['root-1', 'leaf-1-1']);
    const caCert = new X509Certificate(ca.certPem);
    for (const [node, pem] of Object.entries(certs)) {
      const cert = new X509Certificate(pem);
      expect([cert.subject, cert.subjectAltName, cert.checkIssued(caCert)]).toEqual([`CN=${node}`, `DNS:${node}`, true]);
    }
  });

  it('refuses requests for other nodes than those of the topology', () => {
    expect(() => certifyNodes(ca, { 'root-1': csr('root-1'), 'root-9': csr('root-9') }, ['root-1', 'leaf-1-1'])).toThrow(
      'the host asked certificates for other nodes than the topology\'s (no leaf-1-1, root-9 is none)',
    );
  });

  it('refuses a request that does not check out', () => {
    expect(() => certifyNodes(ca, { 'root-1': 'not a request' }, ['root-1'])).toThrow();
  });
});
