// OpenVPN static keys (tls-crypt): 2048 CSPRNG bits in the text format `openvpn --genkey secret` writes.
import { randomBytes } from 'node:crypto';

export const STATIC_KEY_BYTES = 256;
const BEGIN = '-----BEGIN OpenVPN Static key V1-----';
const END = '-----END OpenVPN Static key V1-----';

export function generateTlsCryptKey(random: (size: number) => Buffer = randomBytes): string {
  const hex = random(STATIC_KEY_BYTES).toString('hex');
  const lines = hex.match(/.{32}/g) ?? [];
  return ['#', '# 2048 bit OpenVPN static key', '#', BEGIN, ...lines, END, ''].join('\n');
}

/** The key bytes of a static key text, read the way OpenVPN reads it (comments and blank lines ignored); throws if malformed. */
export function parseOpenVpnStaticKey(text: string): Buffer {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const begin = lines.indexOf(BEGIN);
  const end = lines.indexOf(END);
  if (begin < 0 || end < begin) throw new Error('not an OpenVPN static key: BEGIN/END lines missing');
  const hex = lines.slice(begin + 1, end).join('');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== STATIC_KEY_BYTES * 2) {
    throw new Error(`not an OpenVPN static key: expected ${STATIC_KEY_BYTES * 2} hex digits`);
  }
  return Buffer.from(hex, 'hex');
}
