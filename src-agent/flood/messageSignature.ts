// ECDSA P-256 signatures of flooded messages: the origin signs the canonical bytes, every receiver verifies them.
import { createHash, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalMessageBytes } from '../../src-shared/protocol/messages.ts';
import type { FloodMessage, UnsignedFloodMessage } from '../../src-shared/protocol/messages.ts';

/** What checking a message's signature found. */
export type VerifyVerdict = 'ok' | 'bad_signature' | 'unknown_origin';

// IEEE P1363 (r ‖ s, fixed 64 bytes) rather than DER keeps the wire form one fixed length.
const ENCODING = 'ieee-p1363' as const;

// Reading a key's type and details costs a good part of a verification; what was found is remembered per key.
const p256Kinds = new WeakMap<KeyObject, KeyObject['type'] | null>();

function isP256(key: KeyObject, kind: 'private' | 'public'): boolean {
  let found = p256Kinds.get(key);
  if (found === undefined) {
    found = key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key.type : null;
    p256Kinds.set(key, found);
  }
  return found === kind;
}

/** Returns a signer bound to this node's identity key: unsigned message → base64url signature. */
export function createMessageSigner(privateKey: KeyObject): (message: UnsignedFloodMessage) => string {
  if (!isP256(privateKey, 'private')) throw new TypeError('expected an EC P-256 private key');
  return (message) => sign('sha256', canonicalMessageBytes(message), { key: privateKey, dsaEncoding: ENCODING }).toString('base64url');
}

/**
 * Signatures found good, by key, signature and digest of the bytes signed: shared by every agent of the process. The
 * sandbox hosts hundreds of agents in one, and each of its roots would otherwise check every root's heartbeat again
 * (a verification costs some 150 µs; the lookup a hash of a few hundred bytes). Only good ones are kept, a bounded number.
 */
const goodSignatures = new Set<string>();
const GOOD_SIGNATURES_KEPT = 8_192;
const keyIds = new WeakMap<KeyObject, string>();

function keyId(key: KeyObject): string {
  let id = keyIds.get(key);
  if (id === undefined) keyIds.set(key, (id = key.export({ type: 'spki', format: 'der' }).toString('base64')));
  return id;
}

/** The digest of a message's bytes, worked out once for bytes the process's agents share (verifiedMessages.ts). */
const bytesDigests = new WeakMap<Uint8Array, string>();
function bytesDigest(bytes: Uint8Array): string {
  let digest = bytesDigests.get(bytes);
  if (digest === undefined) bytesDigests.set(bytes, (digest = createHash('sha256').update(bytes).digest('base64')));
  return digest;
}

/** True when `message.sig` is `publicKey`'s signature over the message's canonical bytes (computed unless given). */
export function verifyMessageSignature(message: FloodMessage, publicKey: KeyObject, canonicalBytes: Uint8Array = canonicalMessageBytes(message)): boolean {
  if (!isP256(publicKey, 'public')) return false;
  const signature = Buffer.from(message.sig, 'base64url');
  if (signature.length !== 64) return false;
  const known = `${keyId(publicKey)} ${message.sig} ${bytesDigest(canonicalBytes)}`;
  if (goodSignatures.has(known)) return true;
  let good: boolean;
  try {
    good = verify('sha256', canonicalBytes, { key: publicKey, dsaEncoding: ENCODING }, signature);
  } catch {
    return false;
  }
  if (good) {
    if (goodSignatures.size >= GOOD_SIGNATURES_KEPT) goodSignatures.delete(goodSignatures.values().next().value!);
    goodSignatures.add(known);
  }
  return good;
}

/**
 * Returns the verifier the flood router takes. `publicKeyOf` gives the identity key of a node the overlay knows
 * (from its control-CA certificate), or undefined for a stranger.
 */
export function createMessageVerifier(
  publicKeyOf: (origin: string) => KeyObject | undefined,
): (message: FloodMessage, canonicalBytes?: Uint8Array) => VerifyVerdict {
  return (message, canonicalBytes) => {
    const key = publicKeyOf(message.origin);
    if (key === undefined) return 'unknown_origin';
    return verifyMessageSignature(message, key, canonicalBytes) ? 'ok' : 'bad_signature';
  };
}
