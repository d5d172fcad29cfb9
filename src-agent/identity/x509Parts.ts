// The X.509 pieces shared by certification requests and the certificates the agent issues: names and signature algorithms.
import { createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import {
  DerError,
  TAG,
  children,
  expectTag,
  nullValue,
  objectIdentifier,
  readObjectIdentifier,
  sequence,
  set,
  utf8String,
} from './der.ts';
import type { Element } from './der.ts';

const OID_COMMON_NAME = '2.5.4.3';
const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const OID_RSA_SHA256 = '1.2.840.113549.1.1.11';

/** A distinguished name with one attribute, the common name: all Raincoat's certificates need. */
export function commonNameName(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier(OID_COMMON_NAME), utf8String(commonName))));
}

/** The common name in a Name element; undefined when it has none. */
export function readCommonName(name: Element): string | undefined {
  expectTag(name, TAG.SEQUENCE, 'a name');
  for (const rdn of children(name)) {
    for (const attribute of children(expectTag(rdn, TAG.SET, 'a relative distinguished name'))) {
      const [type, value] = children(expectTag(attribute, TAG.SEQUENCE, 'an attribute'));
      if (!type || !value) throw new DerError('expected an attribute type and value');
      if (readObjectIdentifier(type) !== OID_COMMON_NAME) continue;
      if (value.tag !== TAG.UTF8_STRING && value.tag !== TAG.PRINTABLE_STRING && value.tag !== TAG.IA5_STRING) {
        throw new DerError('expected the common name as a string');
      }
      return value.content.toString('utf8');
    }
  }
  return undefined;
}

/** The AlgorithmIdentifier for SHA-256 signatures by this private key (EC → ECDSA, RSA → PKCS #1 v1.5). */
export function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ec') return sequence(objectIdentifier(OID_ECDSA_SHA256));
  if (key.asymmetricKeyType === 'rsa') return sequence(objectIdentifier(OID_RSA_SHA256), nullValue());
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}: expected EC or RSA`);
}

/** Signs `data` with SHA-256; ECDSA signatures come out DER-encoded, as X.509 wants them. */
export function signData(key: KeyObject, data: Uint8Array): Buffer {
  return sign('sha256', data, key);
}

/** Verifies a signature given the AlgorithmIdentifier it names; false for algorithms other than the two above. */
export function verifyData(algorithm: Element, publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const [oid] = children(expectTag(algorithm, TAG.SEQUENCE, 'an algorithm identifier'));
  if (!oid) throw new DerError('expected an algorithm object identifier');
  const name = readObjectIdentifier(oid);
  const keyType = publicKey.asymmetricKeyType;
  if (!((name === OID_ECDSA_SHA256 && keyType === 'ec') || (name === OID_RSA_SHA256 && keyType === 'rsa'))) return false;
  try {
    return verify('sha256', data, publicKey, signature);
  } catch {
    return false;
  }
}

/** A public key from a SubjectPublicKeyInfo element; throws DerError when Node cannot read it. */
export function publicKeyFromSpki(spki: Element): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(spki.encoded), format: 'der', type: 'spki' });
  } catch {
    throw new DerError('unreadable subject public key');
  }
}
