// X.509 profiles as certificate templates: what a batch of certificates shares (issuer, validity, the profile's
// extensions) is encoded once here; certificateEncoder.ts then adds each certificate's own parts.
import type { KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  Time,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import { VERSION_3, type CertificateTemplate } from './certificateEncoder.ts';
import { sequence } from './der.ts';
import { signatureAlgorithmFor } from './signing.ts';

/**
 * `ca`: basicConstraints CA with a path length, keyCertSign + cRLSign. End entities: `server` (serverAuth),
 * `client` (clientAuth), `peer` (both: agents' mutual TLS); digitalSignature, plus keyEncipherment for RSA keys.
 */
export type CertificateProfile = 'ca' | 'server' | 'client' | 'peer';
export type EndEntityProfile = Exclude<CertificateProfile, 'ca'>;

export interface AltName {
  type: 'dns' | 'ip';
  value: string;
}

/** Who signs: the issuer's Name (DER), its key identifier (the AKI of what it signs), key and end of validity. */
export interface Issuer {
  nameDer: Uint8Array;
  keyId: Uint8Array;
  signingKey: KeyObject;
  /** Certificates it issues never outlive it. */
  notAfter: Date;
}

export interface TemplateOptions {
  profile: CertificateProfile;
  /** Decides keyEncipherment: RSA key exchange needs it, EC keys only sign. */
  subjectKeyAlgorithm: 'ec' | 'rsa';
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints pathLenConstraint of a CA; default 0 (it signs end entities only). */
  pathLength?: number;
  altNames?: AltName[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Certificates start an hour in the past, so that a node whose clock lags a little accepts them at once. */
const BACKDATE_MS = HOUR_MS;

export function validityPeriod(now: Date, lifetimeDays: number, issuer?: Issuer): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(now.getTime() + lifetimeDays * DAY_MS);
  return {
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: issuer && issuer.notAfter < notAfter ? issuer.notAfter : notAfter,
  };
}

function extension(extnID: string, critical: boolean, value: object): Buffer {
  const extnValue = new OctetString(AsnConvert.serialize(value));
  return Buffer.from(AsnConvert.serialize(new Extension({ extnID, critical, extnValue })));
}

function profileExtensions(issuer: Issuer, options: TemplateOptions): Buffer[] {
  const { profile } = options;
  const aki = extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(Uint8Array.from(issuer.keyId)) }));
  if (profile === 'ca') {
    return [
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: options.pathLength ?? 0 })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
      aki,
    ];
  }
  const usage = options.subjectKeyAlgorithm === 'rsa' ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment : KeyUsageFlags.digitalSignature;
  const purposes = { server: [id_kp_serverAuth], client: [id_kp_clientAuth], peer: [id_kp_serverAuth, id_kp_clientAuth] }[profile];
  const extensions = [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
    extension(id_ce_keyUsage, true, new KeyUsage(usage)),
    extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage(purposes)),
  ];
  if (options.altNames?.length) {
    const names = options.altNames.map((n) => new GeneralName(n.type === 'dns' ? { dNSName: n.value } : { iPAddress: n.value }));
    extensions.push(extension(id_ce_subjectAltName, false, new SubjectAlternativeName(names)));
  }
  extensions.push(aki);
  return extensions;
}

export function certificateTemplate(issuer: Issuer, options: TemplateOptions): CertificateTemplate {
  const validity = sequence(
    Buffer.from(AsnConvert.serialize(new Time(options.notBefore))),
    Buffer.from(AsnConvert.serialize(new Time(options.notAfter))),
  );
  return {
    version: VERSION_3,
    algorithmIssuerValidity: Buffer.concat([signatureAlgorithmFor(issuer.signingKey), issuer.nameDer, validity]),
    fixedExtensions: Buffer.concat(profileExtensions(issuer, options)),
    signingKey: issuer.signingKey,
  };
}

