// PKCS #10 certification requests: the agent writes one for its identity key, and reads (and checks) those of client VMs.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { DerError, TAG, bitString, children, contextConstructed, expectTag, pemDecode, pemEncode, readBitString, readWhole, sequence, smallInteger } from './der.ts';
import { commonNameName, publicKeyFromSpki, readCommonName, signData, signatureAlgorithm, verifyData } from './x509Parts.ts';

/** A request whose self-signature checked out. `spki` is the requester's SubjectPublicKeyInfo, DER. */
export interface CertificationRequest {
  commonName: string;
  publicKey: KeyObject;
  spki: Buffer;
}

export class CsrError extends Error {}

/** A CSR for `commonName`, signed by `privateKey` (its public half is what the certificate will certify). */
export function createCsr(commonName: string, privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  // Version 0, the subject, the key, and an empty attribute set ([0] IMPLICIT SET OF Attribute).
  const info = sequence(smallInteger(0), commonNameName(commonName), spki, contextConstructed(0));
  return pemEncode('CERTIFICATE REQUEST', sequence(info, signatureAlgorithm(privateKey), bitString(signData(privateKey, info))));
}

/** Parses a PEM CSR and checks its self-signature; throws CsrError saying what is wrong. */
export function readCsr(pem: string): CertificationRequest {
  try {
    const request = readWhole(pemDecode('CERTIFICATE REQUEST', pem));
    const [info, algorithm, signature] = children(expectTag(request, TAG.SEQUENCE, 'a certification request'));
    const [version, subject, spki] = children(expectTag(info, TAG.SEQUENCE, 'the request information'));
    if (!version || version.tag !== TAG.INTEGER || version.content.length !== 1 || version.content[0] !== 0) throw new DerError('expected version 1');
    if (!subject || !spki || !algorithm || !signature) throw new DerError('incomplete request');
    const publicKey = publicKeyFromSpki(expectTag(spki, TAG.SEQUENCE, 'a subject public key'));
    if (!verifyData(algorithm, publicKey, info!.encoded, readBitString(signature))) {
      throw new CsrError('the request is not signed by the key it carries (or uses an algorithm other than ECDSA/RSA with SHA-256)');
    }
    const commonName = readCommonName(subject);
    if (commonName === undefined) throw new CsrError('the request has no common name');
    return { commonName, publicKey, spki: Buffer.from(spki.encoded) };
  } catch (error) {
    if (error instanceof CsrError) throw error;
    if (error instanceof DerError) throw new CsrError(`not a readable certification request: ${error.message}`);
    throw error;
  }
}
