// Certificate authorities (a fresh key, its self-signed certificate, an empty CRL) and single certificates with fresh keys.
import { createPrivateKey } from 'node:crypto';
import { selfSignedCaCertificate } from '../../../src-node/x509/caCertificate.ts';
import { endEntityTemplate, type EndEntityProfile, type ValidityOptions } from '../../../src-node/x509/certificateTemplate.ts';
import { issuerFromCa, type SigningCa } from '../../../src-node/x509/issuer.ts';
import { issueCrl } from './crl.ts';
import { issueFromTemplate } from './issueBatch.ts';
import { DEFAULT_KEY_TYPE, generateKeyPair, keyAlgorithm } from './keyPairs.ts';
import type { CaMaterial, CertifiedKey, KeyType } from './keyTypes.ts';

export const DEFAULT_CA_LIFETIME_DAYS = 3650;

export interface CaOptions {
  keyType?: KeyType;
  lifetimeDays?: number;
  /** basicConstraints path length; default 0: the CA signs end entities only. */
  pathLength?: number;
  now?: Date;
}

export interface IssueOptions extends ValidityOptions {
  keyType?: KeyType;
}

/** A self-signed CA with a fresh key and an empty CRL. */
export function createCa(commonName: string, options: CaOptions = {}): CaMaterial {
  const now = options.now ?? new Date();
  const keyType = options.keyType ?? DEFAULT_KEY_TYPE;
  const { keyPem, spkiDer } = generateKeyPair(keyType);
  const lifetimeDays = options.lifetimeDays ?? DEFAULT_CA_LIFETIME_DAYS;
  const { certPem, serial, issuer } = selfSignedCaCertificate(commonName, createPrivateKey(keyPem), spkiDer, { now, lifetimeDays, pathLength: options.pathLength });
  return {
    certPem,
    keyPem,
    serial,
    revokedSerials: [],
    crlPem: issueCrl(issuer, [], { now, crlNumber: 1 }),
  };
}

/** One end-entity certificate with a fresh key. For many, see `issueInBulk`. */
export function issueCertificate(ca: SigningCa, commonName: string, profile: EndEntityProfile, options: IssueOptions = {}): CertifiedKey {
  const keyType = options.keyType ?? DEFAULT_KEY_TYPE;
  const [issued] = issueFromTemplate(endEntityTemplate(issuerFromCa(ca), profile, keyAlgorithm(keyType), options), keyType, [commonName]);
  return issued!;
}
