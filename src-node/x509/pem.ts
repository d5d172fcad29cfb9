// PEM armour: DER bytes to and from `-----BEGIN LABEL-----` text.
import { DerError } from './der.ts';

export function toPem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** The DER inside the first PEM block labelled `label`; throws DerError when there is none. */
export function fromPem(pem: string, label: string): Buffer {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new DerError(`expected a PEM block "${label}"`);
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}
