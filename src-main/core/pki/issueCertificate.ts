// Certificate authorities, end-entity templates from a CA, and single certificates with fresh keys.
import { createPrivateKey } from 'node:crypto';
import { encodeCertificate, type CertificateTemplate } from './certificateEncoder.ts';
import { certificateTemplate, validityPeriod, type AltName, type EndEntityProfile } from './certificateTemplate.ts';
import { issueCrl } from './crl.ts';
import { issueFromTemplate } from './issueBatch.ts';
import { issuerFromCa, selfIssuer, type SigningCa } from './issuer.ts';
import { DEFAULT_KEY_TYPE, generateKeyPair, keyAlgorithm } from './keyPairs.ts';
import type { CaMaterial, CertifiedKey, KeyType } from './keyTypes.ts';
import { toPem } from './pem.ts';
import { randomSerial, serialToHex } from './randomSerial.ts';

export const DEFAULT_CA_LIFETIME_DAYS = 3650;
/** The longest lifetime Apple platforms accept for TLS certificates from a private CA. */
export const DEFAULT_CERTIFICATE_LIFETIME_DAYS = 825;

export interface CaOptions {
  keyType?: KeyType;
  lifetimeDays?: number;
  /** basicConstraints path length; default 0: the CA signs end entities only. */
  pathLength?: number;
  now?: Date;
}

export interface ValidityOptions {
  lifetimeDays?: number;
  now?: Date;
  altNames?: AltName[];
}

export interface IssueOptions extends ValidityOptions {
  keyType?: KeyType;
}

/** A self-signed CA with a fresh key and an empty CRL. */
export function createCa(commonName: string, options: CaOptions = {}): CaMaterial {
  const now = options.now ?? new Date();
  const keyType = options.keyType ?? DEFAULT_KEY_TYPE;
  const { keyPem, spkiDer } = generateKeyPair(keyType);
  const validity = validityPeriod(now, options.lifetimeDays ?? DEFAULT_CA_LIFETIME_DAYS);
  const issuer = selfIssuer(commonName, createPrivateKey(keyPem), spkiDer, validity.notAfter);
  const template = certificateTemplate(issuer, { profile: 'ca', subjectKeyAlgorithm: keyAlgorithm(keyType), pathLength: options.pathLength ?? 0, ...validity });
  const serial = randomSerial();
  return {
    certPem: toPem('CERTIFICATE', encodeCertificate(template, serial, commonName, spkiDer)),
    keyPem,
    serial: serialToHex(serial),
    revokedSerials: [],
    crlPem: issueCrl(issuer, [], { now, crlNumber: 1 }),
  };
}

/** The template for end-entity certificates of one profile, for subjects with one kind of key, that `ca` signs. */
export function endEntityTemplate(
  ca: SigningCa,
  profile: EndEntityProfile,
  subjectKeyAlgorithm: 'ec' | 'rsa',
  options: ValidityOptions = {},
): CertificateTemplate {
  const issuer = issuerFromCa(ca);
  const validity = validityPeriod(options.now ?? new Date(), options.lifetimeDays ?? DEFAULT_CERTIFICATE_LIFETIME_DAYS, issuer);
  return certificateTemplate(issuer, { profile, subjectKeyAlgorithm, altNames: options.altNames, ...validity });
}

/** One end-entity certificate with a fresh key. For many, see `issueInBulk`. */
export function issueCertificate(ca: SigningCa, commonName: string, profile: EndEntityProfile, options: IssueOptions = {}): CertifiedKey {
  const keyType = options.keyType ?? DEFAULT_KEY_TYPE;
  const [issued] = issueFromTemplate(endEntityTemplate(ca, profile, keyAlgorithm(keyType), options), keyType, [commonName]);
  return issued!;
}
