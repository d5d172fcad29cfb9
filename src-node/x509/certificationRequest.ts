// PKCS #10 certification requests: an agent writes one for its identity key; CAs read them (and check them) before
// certifying a key, be it an agent's or a client VM's that enrolls with a key made on the box.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { DerError, TAG, children, contextConstructed, expectTag, readBitString, readWhole, sequence, smallInteger, type Element } from './der.ts';
import { commonNameDer, readCommonName } from './names.ts';
import { fromPem, toPem } from './pem.ts';
import { signStructure } from './signing.ts';

/** A request whose self-signature checked out. */
export interface CertificationRequest {
  /** The subject's commonName, when the request has one. */
  commonName: string | undefined;
  publicKey: KeyObject;
  /** The requester's SubjectPublicKeyInfo, DER: what the certificate will certify. */
  spkiDer: Buffer;
  keyAlgorithm: 'ec' | 'rsa';
}

export class CsrError extends Error {}

const LABEL = 'CERTIFICATE REQUEST';

/** Signature algorithms a request may use, by the hex DER of their AlgorithmIdentifier's OID, with their key type and hash. */
const REQUEST_SIGNATURES: Record<string, { keyType: 'ec' | 'rsa'; hash: string }> = {
  '06082a8648ce3d040302': { keyType: 'ec', hash: 'sha256' }, // ecdsa-with-SHA256
  '06082a8648ce3d040303': { keyType: 'ec', hash: 'sha384' }, // ecdsa-with-SHA384
  '06092a864886f70d01010b': { keyType: 'rsa', hash: 'sha256' }, // sha256WithRSAEncryption
  '06092a864886f70d01010c': { keyType: 'rsa', hash: 'sha384' }, // sha384WithRSAEncryption
  '06092a864886f70d01010d': { keyType: 'rsa', hash: 'sha512' }, // sha512WithRSAEncryption
};

/** A CSR (PEM) for `commonName`, signed by `privateKey` (its public half is what the certificate will certify). */
export function createCsr(commonName: string, privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  // Version 0, the subject, the key, and an empty attribute set ([0] IMPLICIT SET OF Attribute).
  const info = sequence(smallInteger(0), commonNameDer(commonName), spki, contextConstructed(0));
  return toPem(LABEL, signStructure(info, privateKey));
}

/** RSA bounds: the upper ones cap what checking a signature costs, since anyone may send a request before any token is checked. */
const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 4096;
/** A huge public exponent makes verifying cost as much as signing; real keys use 65537 (or 3). */
const RSA_MAX_EXPONENT = 2n ** 32n;

/**
 * Whether a requester's public key is strong enough to certify and cheap enough to check: EC P-256/P-384, or RSA of
 * 2048 to 4096 bits with a public exponent of at most 2^32. Wider than what the overlay generates itself, since
 * enrolling clients bring their own keys.
 */
export function isAcceptableRequestKey(key: KeyObject): boolean {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec') return details?.namedCurve === 'prime256v1' || details?.namedCurve === 'secp384r1';
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength ?? 0;
    const exponent = details?.publicExponent ?? 0n;
    return bits >= RSA_MIN_BITS && bits <= RSA_MAX_BITS && exponent >= 3n && exponent <= RSA_MAX_EXPONENT;
  }
  return false;
}

function publicKeyOf(spki: Element): KeyObject {
  try {
    return createPublicKey({ key: spki.encoded, format: 'der', type: 'spki' });
  } catch {
    throw new DerError('unreadable subject public key');
  }
}

/** Whether the signature checks out; a malformed signature is one that does not. */
function verifies(hash: string, data: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  try {
    return verify(hash, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** Parses a PEM request and checks its self-signature (proof that the requester holds the key); throws CsrError saying what is wrong. */
export function readCsr(pem: string): CertificationRequest {
  try {
    const request = readWhole(fromPem(pem, LABEL));
    const [info, algorithm, signature] = children(expectTag(request, TAG.SEQUENCE, 'a certification request'));
    const [version, subject, spki] = children(expectTag(info, TAG.SEQUENCE, 'the request information'));
    if (!version || version.tag !== TAG.INTEGER || !version.content.equals(Buffer.of(0))) throw new DerError('expected version 1');
    const publicKey = publicKeyOf(expectTag(spki, TAG.SEQUENCE, 'a subject public key'));
    const [oid] = children(expectTag(algorithm, TAG.SEQUENCE, 'a signature algorithm'));
    const scheme = oid && REQUEST_SIGNATURES[oid.encoded.toString('hex')];
    if (!scheme || scheme.keyType !== publicKey.asymmetricKeyType) throw new CsrError('unsupported signature algorithm (expected ECDSA or RSA with SHA-2, matching the key)');
    if (!isAcceptableRequestKey(publicKey)) throw new CsrError(`the key is too weak or of an unsupported type (expected EC P-256/P-384 or RSA of ${RSA_MIN_BITS} to ${RSA_MAX_BITS} bits with a public exponent of at most 2^32)`);
    if (!verifies(scheme.hash, info!.encoded, publicKey, readBitString(expectTag(signature, TAG.BIT_STRING, 'a signature')))) {
      throw new CsrError('bad signature: the request is not signed by the key it carries');
    }
    return {
      commonName: readCommonName(expectTag(subject, TAG.SEQUENCE, 'a subject')),
      publicKey,
      spkiDer: spki!.encoded,
      keyAlgorithm: scheme.keyType,
    };
  } catch (error) {
    if (error instanceof DerError) throw new CsrError(`not a readable certification request: ${error.message}`);
    throw error;
  }
}
