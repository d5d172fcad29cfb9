// The hot path of certificate issuing: a TBSCertificate assembled from a template's precomputed DER and signed.
// Kept free of schema libraries so that bulk-issuing worker threads start fast.
import { createHash, type KeyObject } from 'node:crypto';
import { TAG, children, contextConstructed, expectTag, objectIdentifier, octetString, readBitString, readWhole, sequence, smallInteger, unsignedInteger } from './der.ts';
import { commonNameDer } from './names.ts';
import { signStructure } from './signing.ts';

/** Plain data (bytes and a KeyObject), so it can be posted to a worker thread as it is. */
export interface CertificateTemplate {
  /** `[0] { INTEGER 2 }`: X.509 v3. */
  version: Uint8Array;
  /** signature AlgorithmIdentifier, issuer Name and Validity, in TBSCertificate order. */
  algorithmIssuerValidity: Uint8Array;
  /** Every extension except the subject key identifier, which depends on the certificate's key. */
  fixedExtensions: Uint8Array;
  signingKey: KeyObject;
}

export const VERSION_3 = contextConstructed(0, smallInteger(2));
/** id-ce-subjectKeyIdentifier, 2.5.29.14 */
export const SUBJECT_KEY_IDENTIFIER = objectIdentifier('2.5.29.14');

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's value. */
export function keyIdentifier(spkiDer: Uint8Array): Buffer {
  const [, publicKey] = children(expectTag(readWhole(spkiDer), TAG.SEQUENCE, 'a SubjectPublicKeyInfo'));
  return createHash('sha1').update(readBitString(expectTag(publicKey, TAG.BIT_STRING, 'a SubjectPublicKeyInfo'))).digest();
}

/** The signed certificate (DER) for one subject. */
export function encodeCertificate(template: CertificateTemplate, serial: Uint8Array, commonName: string, spkiDer: Uint8Array): Buffer {
  const ski = sequence(SUBJECT_KEY_IDENTIFIER, octetString(octetString(keyIdentifier(spkiDer))));
  const tbs = sequence(
    template.version,
    unsignedInteger(serial),
    template.algorithmIssuerValidity,
    commonNameDer(commonName),
    spkiDer,
    contextConstructed(3, sequence(template.fixedExtensions, ski)),
  );
  return signStructure(tbs, template.signingKey);
}
