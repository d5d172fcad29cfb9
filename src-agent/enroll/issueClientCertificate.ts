// Signs a client VM's certification request with its root's OpenVPN CA: a TLS-client certificate for that VM's key.
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  DerError,
  TAG,
  bitString,
  boolean,
  children,
  contextConstructed,
  expectTag,
  objectIdentifier,
  octetString,
  pemEncode,
  readBitString,
  readObjectIdentifier,
  readWhole,
  sequence,
  smallInteger,
  time,
  unsignedInteger,
} from '../identity/der.ts';
import type { Element } from '../identity/der.ts';
import { commonNameName, signData, signatureAlgorithm } from '../identity/x509Parts.ts';

const OID_SUBJECT_KEY_ID = '2.5.29.14';
const OID_KEY_USAGE = '2.5.29.15';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_AUTHORITY_KEY_ID = '2.5.29.35';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface IssueClientCertificate {
  caCertPem: string;
  caKey: KeyObject;
  commonName: string;
  /** The client's SubjectPublicKeyInfo, DER, from its checked CSR. */
  spki: Buffer;
  now: Date;
  validDays: number;
}

/** The PEM certificate; throws when the CA certificate's key does not match `caKey`. */
export function issueClientCertificate(request: IssueClientCertificate): string {
  const ca = new X509Certificate(request.caCertPem);
  const { subject: issuer, subjectKeyId } = readCaParts(ca.raw);
  // Backdate a little so a client whose clock runs slightly behind accepts the certificate at once.
  const notBefore = new Date(request.now.getTime() - 5 * 60_000);
  // Never past the CA itself: a chain that outlives its root would be refused from that day on anyway.
  const notAfter = new Date(Math.min(request.now.getTime() + request.validDays * 86_400_000, Date.parse(ca.validTo)));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const algorithm = signatureAlgorithm(request.caKey);
  const extensions = [
    extension(OID_BASIC_CONSTRAINTS, true, sequence()),
    // digitalSignature only: enough for ECDHE suites and what OpenVPN's `remote-cert-tls client` checks.
    extension(OID_KEY_USAGE, true, Buffer.from([TAG.BIT_STRING, 2, 7, 0x80])),
    extension(OID_EXT_KEY_USAGE, false, sequence(objectIdentifier(OID_CLIENT_AUTH))),
    extension(OID_SUBJECT_KEY_ID, false, octetString(keyIdentifier(request.spki))),
    ...(subjectKeyId ? [extension(OID_AUTHORITY_KEY_ID, false, sequence(Buffer.concat([Buffer.from([0x80, subjectKeyId.length]), subjectKeyId])))] : []),
  ];
  const tbs = sequence(
    contextConstructed(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    issuer,
    sequence(time(notBefore), time(notAfter)),
    commonNameName(request.commonName),
    request.spki,
    contextConstructed(3, sequence(...extensions)),
  );
  const pem = pemEncode('CERTIFICATE', sequence(tbs, algorithm, bitString(signData(request.caKey, tbs))));
  if (!new X509Certificate(pem).verify(ca.publicKey)) throw new Error('the CA key does not match the CA certificate');
  return pem;
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subject public key bits. */
function keyIdentifier(spkiDer: Buffer): Buffer {
  const [, key] = children(readWhole(spkiDer));
  if (!key) throw new DerError('expected a subject public key');
  return createHash('sha1').update(readBitString(key)).digest();
}

/** The CA certificate's subject (exact bytes, to become the issuer) and its subject key identifier, if any. */
function readCaParts(der: Buffer): { subject: Buffer; subjectKeyId: Buffer | undefined } {
  const [tbs] = children(expectTag(readWhole(der), TAG.SEQUENCE, 'a certificate'));
  const fields = children(expectTag(tbs, TAG.SEQUENCE, 'the certificate body'));
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = expectTag(fields[offset + 4], TAG.SEQUENCE, 'the CA subject');
  const extensionsField = fields.find((f) => f.tag === 0xa3);
  let subjectKeyId: Buffer | undefined;
  for (const ext of extensionsField ? children(expectTag(children(extensionsField)[0], TAG.SEQUENCE, 'extensions')) : []) {
    const parts = children(ext);
    if (readObjectIdentifier(parts[0]!) !== OID_SUBJECT_KEY_ID) continue;
    const value = parts[parts.length - 1] as Element;
    subjectKeyId = Buffer.from(expectTag(readWhole(Buffer.from(value.content)), TAG.OCTET_STRING, 'a key identifier').content);
  }
  return { subject: Buffer.from(subject.encoded), subjectKeyId };
}
