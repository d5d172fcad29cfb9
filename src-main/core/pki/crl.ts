// Certificate revocation lists: one per CA, re-issued (with a higher CRL number) whenever a serial is revoked.
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  CRLNumber,
  CertificateList,
  Extension,
  KeyIdentifier,
  Name,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
} from '@peculiar/asn1-x509';
import { issuerFromCa, type Issuer } from '../../../src-node/x509/issuer.ts';
import { fromPem, toPem } from '../../../src-node/x509/pem.ts';
import { normaliseSerialHex, serialFromHex, serialToHex } from '../../../src-node/x509/randomSerial.ts';
import { signatureAlgorithmFor, signStructure } from '../../../src-node/x509/signing.ts';
import type { CaMaterial } from './keyTypes.ts';

/**
 * Long, because OpenVPN's `crl-verify` shuts out every client once the CRL's nextUpdate has passed;
 * freshness comes from re-issuing the CRL on every revocation instead.
 */
export const DEFAULT_CRL_LIFETIME_DAYS = 3650;
const DAY_MS = 86_400_000;

export interface Revocation {
  /** Lowercase hex, as CertifiedKey.serial. */
  serial: string;
  date: Date;
}

export interface CrlOptions {
  now: Date;
  crlNumber: number;
  lifetimeDays?: number;
}

function extension(extnID: string, value: object): Extension {
  return new Extension({ extnID, critical: false, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** A CRL (PEM) signed by `issuer` listing `revocations`. */
export function issueCrl(issuer: Issuer, revocations: readonly Revocation[], options: CrlOptions): string {
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: AsnConvert.parse(signatureAlgorithmFor(issuer.signingKey), AlgorithmIdentifier),
    issuer: AsnConvert.parse(issuer.nameDer, Name),
    thisUpdate: new Time(options.now),
    nextUpdate: new Time(new Date(options.now.getTime() + (options.lifetimeDays ?? DEFAULT_CRL_LIFETIME_DAYS) * DAY_MS)),
    crlExtensions: [
      extension(id_ce_authorityKeyIdentifier, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(Uint8Array.from(issuer.keyId)) })),
      extension(id_ce_cRLNumber, new CRLNumber(options.crlNumber)),
    ],
  });
  // RFC 5280: an empty list is omitted, never encoded as an empty SEQUENCE.
  if (revocations.length > 0) {
    tbs.revokedCertificates = revocations.map(
      (r) => new RevokedCertificate({ userCertificate: Uint8Array.from(serialFromHex(r.serial)).buffer, revocationDate: new Time(r.date) }),
    );
  }
  return toPem('X509 CRL', signStructure(Buffer.from(AsnConvert.serialize(tbs)), issuer.signingKey));
}

/** What a CRL lists and its number. */
export function readCrl(crlPem: string): { crlNumber: number; revocations: Revocation[] } {
  const list = AsnConvert.parse(fromPem(crlPem, 'X509 CRL'), CertificateList).tbsCertList;
  const numberExtension = list.crlExtensions?.find((e) => e.extnID === id_ce_cRLNumber);
  return {
    crlNumber: numberExtension ? AsnConvert.parse(numberExtension.extnValue, CRLNumber).value : 0,
    revocations: (list.revokedCertificates ?? []).map((r) => ({
      serial: serialToHex(new Uint8Array(r.userCertificate)),
      date: r.revocationDate.getTime(),
    })),
  };
}

/**
 * The CA with `serials` added to its revoked list and its CRL re-issued; serials already revoked keep their
 * original revocation date. Returns `ca` itself when nothing is new.
 */
export function revokeSerials(ca: CaMaterial, serials: readonly string[], now: Date): CaMaterial {
  const already = new Set(ca.revokedSerials.map(normaliseSerialHex));
  const added = [...new Set(serials.map(normaliseSerialHex))].filter((s) => !already.has(s));
  if (added.length === 0) return ca;
  const previous = readCrl(ca.crlPem);
  const dates = new Map(previous.revocations.map((r) => [r.serial, r.date]));
  const revokedSerials = [...ca.revokedSerials, ...added];
  const revocations = revokedSerials.map((serial) => ({ serial, date: dates.get(normaliseSerialHex(serial)) ?? now }));
  const crlPem = issueCrl(issuerFromCa(ca), revocations, { now, crlNumber: previous.crlNumber + 1 });
  return { ...ca, revokedSerials, crlPem };
}
