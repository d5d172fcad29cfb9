// OpenVPN tls-crypt-v2 keys (OpenVPN 2.5+): a server key per group of servers, and per client a key wrapped under it,
// byte for byte what `openvpn --genkey tls-crypt-v2-server` and `tls-crypt-v2-client` write (doc/tls-crypt-v2.txt).
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { fromPem, toPem } from '../x509/pem.ts';

const SERVER_LABEL = 'OpenVPN tls-crypt-v2 server key';
const CLIENT_LABEL = 'OpenVPN tls-crypt-v2 client key';
/** OpenVPN's `struct key`: 64 bytes of cipher key, then 64 of HMAC key; AES-256-CTR and HMAC-SHA256 use the first 32 of each. */
export const SERVER_KEY_BYTES = 128;
/** Kc: OpenVPN's `struct key2` keys, two `struct key`s, used as a tls-crypt key once the server unwrapped it. */
export const CLIENT_KEY_BYTES = 256;
const TAG_BYTES = 32;
/** Metadata type 1: the key's creation time, 64-bit Unix seconds, big-endian (what openvpn writes without --tls-crypt-v2-metadata). */
const METADATA_TIMESTAMP = 1;

export interface TlsCryptV2Options {
  random?: (size: number) => Buffer;
  now?: Date;
}

export function generateTlsCryptV2ServerKey(random: (size: number) => Buffer = randomBytes): string {
  return toPem(SERVER_LABEL, random(SERVER_KEY_BYTES));
}

/** The server key's encryption and authentication keys; throws when the text is not a server key. */
export function tlsCryptV2ServerKeys(serverKeyPem: string): { encrypt: Buffer; authenticate: Buffer } {
  const server = fromPem(serverKeyPem, SERVER_LABEL);
  if (server.length !== SERVER_KEY_BYTES) throw new Error(`not a tls-crypt-v2 server key: expected ${SERVER_KEY_BYTES} bytes, found ${server.length}`);
  return { encrypt: server.subarray(0, 32), authenticate: server.subarray(64, 96) };
}

/**
 * A client key: Kc, then WKc = T || AES-256-CTR(Ke, IV = T's first 16 bytes, Kc || metadata) || length, where
 * T = HMAC-SHA256(Ka, length || Kc || metadata) and length is WKc's own, 16-bit big-endian. Only the server key unwraps it.
 */
export function generateTlsCryptV2ClientKey(serverKeyPem: string, options: TlsCryptV2Options = {}): string {
  const { encrypt, authenticate } = tlsCryptV2ServerKeys(serverKeyPem);
  const clientKey = (options.random ?? randomBytes)(CLIENT_KEY_BYTES);
  const metadata = Buffer.alloc(9);
  metadata.writeUInt8(METADATA_TIMESTAMP, 0);
  metadata.writeBigUInt64BE(BigInt(Math.floor((options.now ?? new Date()).getTime() / 1000)), 1);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(TAG_BYTES + CLIENT_KEY_BYTES + metadata.length + length.length);
  const tag = createHmac('sha256', authenticate).update(length).update(clientKey).update(metadata).digest();
  const cipher = createCipheriv('aes-256-ctr', encrypt, tag.subarray(0, 16));
  const wrapped = Buffer.concat([cipher.update(clientKey), cipher.update(metadata), cipher.final()]);
  return toPem(CLIENT_LABEL, Buffer.concat([clientKey, tag, wrapped, length]));
}
