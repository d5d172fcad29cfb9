// Signs a DER to-be-signed structure (certificate, request or CRL): SHA-256 with ECDSA or RSA PKCS#1 v1.5.
import { sign, type KeyObject } from 'node:crypto';
import { bitString, sequence } from './der.ts';

/** AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2), parameters absent as RFC 5758 requires. */
const ECDSA_WITH_SHA256 = Buffer.from('300a06082a8648ce3d040302', 'hex');
/** AlgorithmIdentifier sha256WithRSAEncryption (1.2.840.113549.1.1.11) with NULL parameters. */
const SHA256_WITH_RSA = Buffer.from('300d06092a864886f70d01010b0500', 'hex');

export function signatureAlgorithmFor(signingKey: KeyObject): Buffer {
  if (signingKey.asymmetricKeyType === 'ec') return ECDSA_WITH_SHA256;
  if (signingKey.asymmetricKeyType === 'rsa') return SHA256_WITH_RSA;
  throw new Error(`cannot sign with a ${signingKey.asymmetricKeyType ?? 'unknown'} key: expected EC or RSA`);
}

/** `SEQUENCE { tbs, algorithm, BIT STRING signature }`; `tbs` must already name `signatureAlgorithmFor(signingKey)` where it has a field for it. */
export function signStructure(tbs: Uint8Array, signingKey: KeyObject): Buffer {
  // node:crypto's ECDSA signatures are DER (Ecdsa-Sig-Value) by default, as X.509 wants them.
  return sequence(tbs, signatureAlgorithmFor(signingKey), bitString(sign('sha256', tbs, signingKey)));
}
