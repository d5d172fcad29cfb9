// A digest of a node's part as its backend puts it in effect, to tell whether a new package changes anything on the node.
import { z } from 'zod';
import { utf8Encode } from '../../src-shared/crypto/base64.ts';
import type { OpeningKey } from '../../src-shared/crypto/seal.ts';
import { canonicalJson } from '../../src-shared/protocol/canonicalJson.ts';
import type { DeployBackend } from '../../src-shared/protocol/deployPackage.ts';
import type { ResolvedPart } from '../backends/types.ts';

export const PartDigestSchema = z.string().regex(/^hmac-sha256:[0-9a-f]{64}$/, 'expected hmac-sha256: and 64 hex digits');
export type PartDigest = z.infer<typeof PartDigestSchema>;

export type DigestPart = (backend: DeployBackend, part: ResolvedPart) => Promise<PartDigest>;

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const INFO = utf8Encode('raincoat part digest v1');

/**
 * Digests the part opened, not as the package carries it: secrets are sealed afresh in every package, so two packages
 * with the same part differ in their sealed blobs. The digest covers the secrets in clear, so it is keyed with a key only
 * this node can derive (ECDH of its identity key with itself): the state file keeps it without anyone being able to test
 * a guessed secret against it. It covers the backend that applies the part too, since another one never put it in effect.
 */
export function partDigester(key: OpeningKey): DigestPart {
  let hmac: Promise<CryptoKey> | undefined;
  const hmacKey = () =>
    (hmac ??= (async () => {
      const own = await crypto.subtle.importKey('raw', key.publicRaw, ECDH, false, []);
      const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: own }, key.privateKey, 256);
      const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO }, ikm, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    })());
  return async (backend, part) => {
    const mac = await crypto.subtle.sign('HMAC', await hmacKey(), utf8Encode(canonicalJson({ backend, files: part.files, commands: part.commands })));
    return `hmac-sha256:${Buffer.from(mac).toString('hex')}`;
  };
}
