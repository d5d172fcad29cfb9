// Certifies the key of a checked certification request: agents' identities (by the control CA) and client VMs
// enrolling at a root (by that root's OpenVPN CA).
import { encodeCertificate } from './certificateEncoder.ts';
import { endEntityTemplate, type EndEntityProfile, type ValidityOptions } from './certificateTemplate.ts';
import { readCsr, type CertificationRequest } from './certificationRequest.ts';
import { issuerFromCa, type Issuer, type SigningCa } from './issuer.ts';
import { toPem } from './pem.ts';
import { randomSerial, serialToHex } from './randomSerial.ts';

/** A certificate (PEM) and its serial in lowercase hex; what signing a CSR returns, the key staying with the requester. */
export interface IssuedCertificate {
  certPem: string;
  serial: string;
}

export interface SignCsrOptions extends ValidityOptions {
  /** The subject to certify; overrides the request's commonName (the CA decides who the key is, not the requester). */
  commonName?: string;
}

/** Certifies the key of a request read (and checked) by `readCsr`, with `profile`, signed by `issuer`. */
export function certifyRequest(issuer: Issuer, request: CertificationRequest, profile: EndEntityProfile, options: SignCsrOptions = {}): IssuedCertificate {
  const commonName = options.commonName ?? request.commonName;
  if (!commonName) throw new Error('certificate request: no commonName, and none given');
  const serial = randomSerial();
  const certificate = encodeCertificate(endEntityTemplate(issuer, profile, request.keyAlgorithm, options), serial, commonName, request.spkiDer);
  return { certPem: toPem('CERTIFICATE', certificate), serial: serialToHex(serial) };
}

/** Reads and checks a PEM request (CsrError when it is not acceptable) and certifies its key with `profile`, signed by `ca`. */
export function signCsr(ca: SigningCa, csrPem: string, profile: EndEntityProfile, options: SignCsrOptions = {}): IssuedCertificate {
  return certifyRequest(issuerFromCa(ca), readCsr(csrPem), profile, options);
}
