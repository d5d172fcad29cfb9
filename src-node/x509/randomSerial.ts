// Certificate serial numbers: random 128-bit values, and their hex form as the PKI stores them.
import { randomBytes } from 'node:crypto';

const SERIAL_BYTES = 16;

/** A positive 128-bit serial (top bit clear, first byte non-zero, so its DER INTEGER is always 16 bytes). */
export function randomSerial(random: (size: number) => Buffer = randomBytes): Buffer {
  const serial = random(SERIAL_BYTES);
  serial[0] = serial[0]! & 0x7f || 0x01;
  return serial;
}

/** Serials as the PKI stores them: lowercase hex without leading zero bytes. */
export function serialToHex(serial: Uint8Array): string {
  return Buffer.from(serial).toString('hex').replace(/^(00)+(?=.)/, '');
}

function evenHexBytes(hex: string): Buffer {
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
}

/** Normalises a serial as `openssl` prints it (any case, colons, leading zeros) to `serialToHex` form. */
export function normaliseSerialHex(text: string): string {
  const hex = text.replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new Error(`not a hexadecimal serial: ${text}`);
  return serialToHex(evenHexBytes(hex));
}

/** The magnitude bytes of a hex serial, with a 0x00 prefixed when the top bit is set so it stays positive. */
export function serialFromHex(hex: string): Buffer {
  const bytes = evenHexBytes(normaliseSerialHex(hex));
  return bytes[0]! & 0x80 ? Buffer.concat([Uint8Array.of(0), bytes]) : bytes;
}
