// Reads the few fields of a DER certificate that issuing needs, straight from the bytes: a schema parse of a whole
// certificate costs ~0.4 ms, which a 500-root overlay would pay a thousand times.
import { SUBJECT_KEY_IDENTIFIER } from './certificateEncoder.ts';
import { DerError, TAG, children, expectTag, readTime, readWhole, type Element } from './der.ts';

export interface CertificateFields {
  /** The subject Name exactly as encoded: what certificates it issues must carry as their issuer. */
  subjectDer: Uint8Array;
  spkiDer: Uint8Array;
  notAfter: Date;
  /** The subjectKeyIdentifier extension's value, when there is one. */
  subjectKeyId: Uint8Array | undefined;
}

const EXTENSIONS = 0xa3;
const VERSION = 0xa0;

function subjectKeyId(extensions: Element | undefined): Uint8Array | undefined {
  if (!extensions) return undefined;
  for (const extension of children(expectTag(children(extensions)[0], TAG.SEQUENCE, 'extensions'))) {
    const parts = children(expectTag(extension, TAG.SEQUENCE, 'an extension'));
    if (!parts[0]?.encoded.equals(SUBJECT_KEY_IDENTIFIER)) continue;
    // extnValue is an OCTET STRING holding the DER of the KeyIdentifier, itself an OCTET STRING.
    const extnValue = expectTag(parts.at(-1), TAG.OCTET_STRING, 'an extension value');
    return expectTag(readWhole(extnValue.content), TAG.OCTET_STRING, 'a key identifier').content;
  }
  return undefined;
}

/** Throws `not a certificate: …` when the bytes are not one. */
export function readCertificateFields(der: Uint8Array): CertificateFields {
  try {
    const [tbs] = children(expectTag(readWhole(der), TAG.SEQUENCE, 'a certificate'));
    const fields = children(expectTag(tbs, TAG.SEQUENCE, 'the certificate body'));
    // version [0] is optional (absent means v1); the fields after it are positional.
    const offset = fields[0]?.tag === VERSION ? 1 : 0;
    const at = (index: number, what: string) => expectTag(fields[index + offset], TAG.SEQUENCE, what);
    const [, notAfter] = children(at(3, 'a validity'));
    if (!notAfter) throw new DerError('expected the end of validity');
    return {
      subjectDer: at(4, 'a subject').encoded,
      spkiDer: at(5, 'a subject public key').encoded,
      notAfter: readTime(notAfter),
      subjectKeyId: subjectKeyId(fields.find((f) => f.tag === EXTENSIONS)),
    };
  } catch (error) {
    if (error instanceof DerError) throw new DerError(`not a certificate: ${error.message}`);
    throw error;
  }
}
