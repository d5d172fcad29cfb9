// A node's identity certificate from the control CA: the node's name as its common name and DNS name, for a key the
// node made and keeps (from its request at enrollment, from its current certificate at renewal).
import { X509Certificate } from 'node:crypto';
import type { CertificationRequest } from '../../../src-node/x509/certificationRequest.ts';
import type { Issuer } from '../../../src-node/x509/issuer.ts';
import { certifyRequest } from '../../../src-node/x509/signCsr.ts';

export function certifyNodeIdentity(issuer: Issuer, node: string, request: CertificationRequest, now?: Date): string {
  // The node's name also as a DNS name, so that ordinary TLS clients can check it.
  return certifyRequest(issuer, request, 'peer', { commonName: node, altNames: [{ type: 'dns', value: node }], ...(now === undefined ? {} : { now }) }).certPem;
}

/** The same key as `certPem`'s, certified again. */
export function recertifyNodeIdentity(issuer: Issuer, node: string, certPem: string, now?: Date): string {
  const { publicKey } = new X509Certificate(certPem);
  const request: CertificationRequest = {
    commonName: node,
    publicKey,
    spkiDer: publicKey.export({ type: 'spki', format: 'der' }),
    keyAlgorithm: publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec',
  };
  return certifyNodeIdentity(issuer, node, request, now);
}
