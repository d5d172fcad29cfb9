// X.509 profiles as certificate templates: what a batch of certificates shares (issuer, validity, the profile's
// extensions) is encoded once here; certificateEncoder.ts then adds each certificate's own parts.
import { parseIpv4 } from '../../src-shared/net/ipv4.ts';
import { VERSION_3, type CertificateTemplate } from './certificateEncoder.ts';
import { boolean, contextPrimitive, namedBits, objectIdentifier, octetString, sequence, smallInteger, time } from './der.ts';
import type { Issuer } from './issuer.ts';
import { signatureAlgorithmFor } from './signing.ts';

/**
 * `ca`: basicConstraints CA with a path length, keyCertSign + cRLSign. End entities: `server` (serverAuth),
 * `client` (clientAuth), `peer` (both: agents' mutual TLS); digitalSignature, plus keyEncipherment for RSA keys.
 */
export type CertificateProfile = 'ca' | 'server' | 'client' | 'peer';
export type EndEntityProfile = Exclude<CertificateProfile, 'ca'>;

export interface AltName {
  type: 'dns' | 'ip';
  /** A DNS name, or an IPv4 address for `ip` (the overlay is IPv4 only). */
  value: string;
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

/** The longest lifetime Apple platforms accept for TLS certificates from a private CA. */
export const DEFAULT_CERTIFICATE_LIFETIME_DAYS = 825;

export interface ValidityOptions {
  lifetimeDays?: number;
  now?: Date;
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

const OID = {
  basicConstraints: objectIdentifier('2.5.29.19'),
  keyUsage: objectIdentifier('2.5.29.15'),
  extKeyUsage: objectIdentifier('2.5.29.37'),
  subjectAltName: objectIdentifier('2.5.29.17'),
  authorityKeyIdentifier: objectIdentifier('2.5.29.35'),
  serverAuth: objectIdentifier('1.3.6.1.5.5.7.3.1'),
  clientAuth: objectIdentifier('1.3.6.1.5.5.7.3.2'),
};
/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 };
/** GeneralName choices, IMPLICIT (content bytes only): dNSName [2] IA5String, iPAddress [7] OCTET STRING. */
const DNS_NAME = 2;
const IP_ADDRESS = 7;

/** `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`. */
function extension(oid: Buffer, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid, boolean(true), octetString(value)) : sequence(oid, octetString(value));
}

function generalName({ type, value }: AltName): Buffer {
  if (type === 'dns') return contextPrimitive(DNS_NAME, Buffer.from(value, 'latin1'));
  const address = parseIpv4(value);
  if (address === undefined) throw new Error(`subject alternative name: not an IPv4 address: ${value}`);
  return contextPrimitive(IP_ADDRESS, Uint8Array.of(address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255));
}

function profileExtensions(issuer: Issuer, options: TemplateOptions): Buffer[] {
  const { profile } = options;
  const aki = extension(OID.authorityKeyIdentifier, false, sequence(contextPrimitive(0, issuer.keyId)));
  if (profile === 'ca') {
    return [
      extension(OID.basicConstraints, true, sequence(boolean(true), smallInteger(options.pathLength ?? 0))),
      extension(OID.keyUsage, true, namedBits([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign])),
      aki,
    ];
  }
  const usage = options.subjectKeyAlgorithm === 'rsa' ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment] : [KEY_USAGE.digitalSignature];
  const purposes = { server: [OID.serverAuth], client: [OID.clientAuth], peer: [OID.serverAuth, OID.clientAuth] }[profile];
  const extensions = [
    // cA FALSE is the default, so DER leaves the SEQUENCE empty.
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, namedBits(usage)),
    extension(OID.extKeyUsage, false, sequence(...purposes)),
  ];
  if (options.altNames?.length) extensions.push(extension(OID.subjectAltName, false, sequence(...options.altNames.map(generalName))));
  extensions.push(aki);
  return extensions;
}

export function certificateTemplate(issuer: Issuer, options: TemplateOptions): CertificateTemplate {
  return {
    version: VERSION_3,
    algorithmIssuerValidity: Buffer.concat([signatureAlgorithmFor(issuer.signingKey), issuer.nameDer, sequence(time(options.notBefore), time(options.notAfter))]),
    fixedExtensions: Buffer.concat(profileExtensions(issuer, options)),
    signingKey: issuer.signingKey,
  };
}

/** The template for end-entity certificates of one profile, for subjects with one kind of key, that `issuer` signs. */
export function endEntityTemplate(issuer: Issuer, profile: EndEntityProfile, subjectKeyAlgorithm: 'ec' | 'rsa', options: ValidityOptions = {}): CertificateTemplate {
  const validity = validityPeriod(options.now ?? new Date(), options.lifetimeDays ?? DEFAULT_CERTIFICATE_LIFETIME_DAYS, issuer);
  return certificateTemplate(issuer, { profile, subjectKeyAlgorithm, altNames: options.altNames, ...validity });
}
