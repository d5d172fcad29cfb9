// The key a passphrase gives, by scrypt: the only way from what the administrator types to a key that opens secrets.
import { scrypt } from 'node:crypto';
import type { ScryptCost } from '../../../src-shared/secrets/sealedEnvelope.ts';
import { scryptMemory } from '../../../src-shared/secrets/sealedEnvelope.ts';

/**
 * What a new passphrase wrap costs: 128 MiB and about 0.54 s on the 2-core development machine (2^16: 0.31 s,
 * 2^18: 1.1 s), paid once per command or per application run, never per save. OWASP's floor for scrypt.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_BYTES = 32;

/** The passphrase as typed, in Unicode's composed form: the same characters give the same key on every keyboard. */
export function deriveKey(passphrase: string, salt: Uint8Array, cost: ScryptCost): Promise<Buffer> {
  // Node refuses above 32 MiB unless told; the envelope's schema bounds what a cost may ask.
  const maxmem = 2 * scryptMemory(cost);
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem }, (error, key) => (error ? reject(error) : resolve(key))));
}
