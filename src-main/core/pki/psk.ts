// Pre-shared keys for IPsec tunnels: characters drawn uniformly from letters and digits by the CSPRNG.
import { randomBytes } from 'node:crypto';

export const PSK_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const PSK_LENGTH = 60;

// The largest multiple of the alphabet's size that fits in a byte: bytes at or above it are
// rejected, so that `byte % 62` is uniform (no modulo bias).
const ACCEPT_BELOW = 256 - (256 % PSK_ALPHABET.length);

export function generatePsk(length = PSK_LENGTH, random: (size: number) => Uint8Array = randomBytes): string {
  let psk = '';
  while (psk.length < length) {
    for (const byte of random(length - psk.length + 8)) {
      if (byte >= ACCEPT_BELOW) continue;
      psk += PSK_ALPHABET[byte % PSK_ALPHABET.length];
      if (psk.length === length) break;
    }
  }
  return psk;
}
