// What an OpenVPN server does with a client's tls-crypt-v2 key, for tests that check keys made here or by openvpn.
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { expect } from 'vitest';
import { fromPem } from '../x509/pem.ts';
import { CLIENT_KEY_BYTES, tlsCryptV2ServerKeys } from './tlsCryptV2.ts';

/** What an OpenVPN server does with a client's wrapped key (tls_crypt_v2_unwrap_client_key): undefined when it does not authenticate. */
export function unwrapTlsCryptV2ClientKey(serverKeyPem: string, clientKeyPem: string): { clientKey: Buffer; metadata: Buffer } | undefined {
  const { encrypt, authenticate } = tlsCryptV2ServerKeys(serverKeyPem);
  const bytes = fromPem(clientKeyPem, 'OpenVPN tls-crypt-v2 client key');
  const wkc = bytes.subarray(CLIENT_KEY_BYTES);
  const length = wkc.subarray(wkc.length - 2);
  if (length.readUInt16BE() !== wkc.length) return undefined;
  const tag = wkc.subarray(0, 32);
  const decipher = createDecipheriv('aes-256-ctr', encrypt, tag.subarray(0, 16));
  const plain = Buffer.concat([decipher.update(wkc.subarray(32, wkc.length - 2)), decipher.final()]);
  const check = createHmac('sha256', authenticate).update(length).update(plain).digest();
  if (!timingSafeEqual(tag, check)) return undefined;
  expect(plain.subarray(0, CLIENT_KEY_BYTES)).toEqual(bytes.subarray(0, CLIENT_KEY_BYTES));
  return { clientKey: plain.subarray(0, CLIENT_KEY_BYTES), metadata: plain.subarray(CLIENT_KEY_BYTES) };
}
