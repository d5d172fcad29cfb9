// Seals a secret to one node's P-256 identity key (ephemeral ECDH, HKDF-SHA256, AES-256-GCM), WebCrypto only.
import { z } from 'zod';
import { fromBase64Url, toBase64Url, utf8Encode } from './base64.ts';

/**
 * A sealed secret. `kid` names the recipient key (SHA-256 of its uncompressed point) so a node can tell
 * "not mine" from "damaged"; `epk` is the sender's one-time public point; `ct` carries the GCM tag.
 */
export const SealedBlobSchema = z.strictObject({
  v: z.literal(1),
  kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a key id (43 base64url characters)'),
  epk: z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'expected an uncompressed P-256 point (87 base64url characters)'),
  iv: z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'expected a 12-byte nonce (16 base64url characters)'),
  ct: z.string().regex(/^[A-Za-z0-9_-]{22,}$/, 'expected a ciphertext with its tag (base64url)'),
});
export type SealedBlob = z.infer<typeof SealedBlobSchema>;

/** A recipient's public key, ready to seal to. */
export interface SealingKey {
  publicKey: CryptoKey;
  keyId: string;
  raw: Uint8Array<ArrayBuffer>;
}

/** A node's own private key, ready to open what was sealed to it. */
export interface OpeningKey {
  privateKey: CryptoKey;
  keyId: string;
  publicRaw: Uint8Array<ArrayBuffer>;
}

/** Why a blob did not open: `other-key` when it names another recipient, `damaged` when it fails authentication. */
export class SealError extends Error {
  readonly reason: 'other-key' | 'damaged';
  constructor(reason: 'other-key' | 'damaged', message: string) {
    super(message);
    this.name = 'SealError';
    this.reason = reason;
  }
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const INFO = utf8Encode('raincoat seal v1 A256GCM');

/** Accepts SPKI as DER bytes or as PEM ("PUBLIC KEY"), such as a certificate's public key. */
export async function importSealingKey(spki: Uint8Array | ArrayBuffer | string): Promise<SealingKey> {
  const publicKey = await crypto.subtle.importKey('spki', derOf(spki, 'PUBLIC KEY'), ECDH, true, []);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', publicKey));
  return { publicKey, keyId: await keyIdOf(raw), raw };
}

/** Accepts PKCS#8 as DER bytes or as PEM ("PRIVATE KEY"); an ECDSA P-256 identity key serves as it is. */
export async function importOpeningKey(pkcs8: Uint8Array | ArrayBuffer | string): Promise<OpeningKey> {
  const extractable = await crypto.subtle.importKey('pkcs8', derOf(pkcs8, 'PRIVATE KEY'), ECDH, true, ['deriveBits']);
  const jwk = await crypto.subtle.exportKey('jwk', extractable);
  const x = fromBase64Url(jwk.x ?? '');
  const y = fromBase64Url(jwk.y ?? '');
  if (!x || !y || x.length !== 32 || y.length !== 32) throw new Error('importOpeningKey: not a P-256 private key');
  const publicRaw = concat(Uint8Array.of(4), x, y);
  // Re-import without extractability so the live key object cannot be exported again.
  const privateKey = await crypto.subtle.importKey('jwk', jwk, ECDH, false, ['deriveBits']);
  return { privateKey, keyId: await keyIdOf(publicRaw), publicRaw };
}

/** `context` is authenticated but not stored: the opener must name the same context (e.g. node and file). */
export async function sealSecret(plaintext: Uint8Array | string, to: SealingKey, context: string): Promise<SealedBlob> {
  const ephemeral = (await crypto.subtle.generateKey(ECDH, true, ['deriveBits'])) as CryptoKeyPair;
  const epk = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const key = await contentKey(ephemeral.privateKey, to.publicKey, epk, to.raw, 'encrypt');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = typeof plaintext === 'string' ? utf8Encode(plaintext) : plaintext;
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8Encode(context) }, key, new Uint8Array(data));
  return { v: 1, kid: to.keyId, epk: toBase64Url(epk), iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
}

/** Throws SealError when the blob is for another key or does not authenticate under `context`. */
export async function openSealed(blob: SealedBlob, key: OpeningKey, context: string): Promise<Uint8Array> {
  if (blob.kid !== key.keyId) {
    throw new SealError('other-key', `sealed to another key (${blob.kid.slice(0, 12)}…), not this node's (${key.keyId.slice(0, 12)}…)`);
  }
  const damaged = () => new SealError('damaged', 'does not open: damaged, or sealed for another file or deploy');
  const epk = fromBase64Url(blob.epk);
  const iv = fromBase64Url(blob.iv);
  const ct = fromBase64Url(blob.ct);
  if (!epk || !iv || !ct) throw damaged();
  try {
    const sender = await crypto.subtle.importKey('raw', epk, ECDH, false, []);
    const aes = await contentKey(key.privateKey, sender, epk, key.publicRaw, 'decrypt');
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: utf8Encode(context) }, aes, ct);
    return new Uint8Array(plain);
  } catch {
    throw damaged();
  }
}

/** The key id a SealedBlob names: base64url SHA-256 of the uncompressed public point. */
async function keyIdOf(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', raw)));
}

async function contentKey(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  epk: Uint8Array<ArrayBuffer>,
  recipientRaw: Uint8Array<ArrayBuffer>,
  usage: 'encrypt' | 'decrypt',
): Promise<CryptoKey> {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  // Both public points go into the salt, so the key is bound to this sender-recipient pair.
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: concat(epk, recipientRaw), info: INFO },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

function derOf(input: Uint8Array | ArrayBuffer | string, label: string): Uint8Array<ArrayBuffer> {
  if (input instanceof ArrayBuffer) return new Uint8Array(input.slice(0));
  if (typeof input !== 'string') return new Uint8Array(input);
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(input);
  const der = match?.[1] === undefined ? undefined : fromBase64Url(match[1].replace(/\s+/g, ''));
  if (!der) throw new Error(`expected a PEM "${label}" block`);
  return der;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
