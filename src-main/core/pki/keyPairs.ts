// Fresh key pairs from node:crypto, and the key types the PKI accepts.
import { generateKeyPairSync } from 'node:crypto';
import type { KeyType } from './keyTypes.ts';

export interface GeneratedKeyPair {
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  keyPem: string;
  /** The public key as a DER SubjectPublicKeyInfo. */
  spkiDer: Buffer;
}

export const DEFAULT_KEY_TYPE: KeyType = 'ecdsa-p256';

export function generateKeyPair(keyType: KeyType): GeneratedKeyPair {
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'pem' } as const;
  const { publicKey, privateKey } =
    keyType === 'rsa-2048'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding, privateKeyEncoding })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1', publicKeyEncoding, privateKeyEncoding });
  return { keyPem: privateKey, spkiDer: publicKey };
}

export function keyAlgorithm(keyType: KeyType): 'ec' | 'rsa' {
  return keyType === 'rsa-2048' ? 'rsa' : 'ec';
}
