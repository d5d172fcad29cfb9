// Self-signed CA certificates: the overlay's CAs (made by the application) and the CAs tests sign with.
import type { KeyObject } from 'node:crypto';
import { encodeCertificate } from './certificateEncoder.ts';
import { certificateTemplate, validityPeriod } from './certificateTemplate.ts';
import { selfIssuer, type Issuer } from './issuer.ts';
import { toPem } from './pem.ts';
import { randomSerial, serialToHex } from './randomSerial.ts';

export interface CaCertificateOptions {
  now: Date;
  lifetimeDays: number;
  /** basicConstraints path length; default 0: the CA signs end entities only. */
  pathLength?: number;
}

/** The CA certificate (PEM) of `signingKey`, its serial (lowercase hex), and the CA as an Issuer of what it signs. */
export function selfSignedCaCertificate(commonName: string, signingKey: KeyObject, spkiDer: Uint8Array, options: CaCertificateOptions): { certPem: string; serial: string; issuer: Issuer } {
  const validity = validityPeriod(options.now, options.lifetimeDays);
  const issuer = selfIssuer(commonName, signingKey, spkiDer, validity.notAfter);
  const subjectKeyAlgorithm = signingKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
  const template = certificateTemplate(issuer, { profile: 'ca', subjectKeyAlgorithm, pathLength: options.pathLength ?? 0, ...validity });
  const serial = randomSerial();
  return { certPem: toPem('CERTIFICATE', encodeCertificate(template, serial, commonName, spkiDer)), serial: serialToHex(serial), issuer };
}
