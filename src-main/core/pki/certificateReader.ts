// Reads the few fields of a DER certificate that issuing needs, straight from the bytes: a schema parse of a whole
// certificate costs ~0.4 ms, which a 500-root overlay would pay a thousand times.
import { OID, TAG, contentBytes, elementBytes, elementEquals, readChildren, readTlv, type Tlv } from './der.ts';

export interface CertificateFields {
  /** The subject Name exactly as encoded: what certificates it issues must carry as their issuer. */
  subjectDer: Uint8Array;
  spkiDer: Uint8Array;
  notAfter: Date;
  /** The subjectKeyIdentifier extension's value, when there is one. */
  subjectKeyId: Uint8Array | undefined;
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

function readTime(der: Uint8Array, element: Tlv): Date {
  const text = Buffer.from(contentBytes(der, element)).toString('latin1');
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match || (element.tag === UTC_TIME) !== (match[1]!.length === 2)) throw new Error(`certificate: unreadable time ${text}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  // RFC 5280 §4.1.2.5.1: two-digit years 50–99 are 19xx, 00–49 are 20xx.
  const year = element.tag === UTC_TIME ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  return new Date(Date.UTC(year, mo - 1, d, h, mi, s));
}

function subjectKeyId(der: Uint8Array, extensions: Tlv | undefined): Uint8Array | undefined {
  if (!extensions) return undefined;
  const [list] = readChildren(der, extensions);
  for (const extension of list ? readChildren(der, list) : []) {
    const parts = readChildren(der, extension);
    if (!elementEquals(der, parts[0], OID.subjectKeyIdentifier)) continue;
    // extnValue is an OCTET STRING holding the DER of the KeyIdentifier, itself an OCTET STRING.
    const extnValue = contentBytes(der, parts.at(-1)!);
    return contentBytes(extnValue, readTlv(extnValue));
  }
  return undefined;
}

export function readCertificateFields(der: Uint8Array): CertificateFields {
  const [tbs] = readChildren(der, readTlv(der));
  if (!tbs || tbs.tag !== TAG.sequence) throw new Error('not a certificate');
  const fields = readChildren(der, tbs);
  // version [0] is optional (absent means v1); the fields after it are positional.
  const at = (index: number, tag: number) => {
    const field = fields[index + (fields[0]?.tag === TAG.explicit0 ? 1 : 0)];
    if (!field || field.tag !== tag) throw new Error('not a certificate');
    return field;
  };
  const [, notAfter] = readChildren(der, at(3, TAG.sequence));
  if (!notAfter || (notAfter.tag !== UTC_TIME && notAfter.tag !== GENERALIZED_TIME)) throw new Error('not a certificate');
  return {
    subjectDer: elementBytes(der, at(4, TAG.sequence)),
    spkiDer: elementBytes(der, at(5, TAG.sequence)),
    notAfter: readTime(der, notAfter),
    subjectKeyId: subjectKeyId(der, fields.find((f) => f.tag === TAG.explicit3)),
  };
}
