// Just enough DER (X.690) to write and read certificates, requests and their parts: a schema library's per-object
// cost would dominate the certificate hot path, and would weigh down the agent's bundle.

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One tag-length-value; `contents` are concatenated. */
export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const body = contents.length === 1 ? contents[0]! : Buffer.concat(contents);
  return Buffer.concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const sequence = (...contents: Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, ...contents);
export const set = (...contents: Uint8Array[]): Buffer => tlv(TAG.SET, ...contents);
/** `[n]` with constructed content (EXPLICIT tagging, or IMPLICIT over a constructed type). */
export const contextConstructed = (n: number, ...contents: Uint8Array[]): Buffer => tlv(0xa0 | n, ...contents);
/** `[n]` IMPLICIT over a primitive type: the bytes of its content only. */
export const contextPrimitive = (n: number, content: Uint8Array): Buffer => tlv(0x80 | n, content);
export const octetString = (bytes: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, bytes);
/** A BIT STRING whose bits fill whole bytes (keys and signatures always do). */
export const bitString = (bytes: Uint8Array): Buffer => tlv(TAG.BIT_STRING, Uint8Array.of(0), bytes);
export const utf8String = (text: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => tlv(TAG.BOOLEAN, Uint8Array.of(value ? 0xff : 0));
export const nullValue = (): Buffer => tlv(TAG.NULL, new Uint8Array(0));

/** A non-negative INTEGER from big-endian magnitude bytes (a 0x00 is prefixed when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  if (trimmed.length === 0) return tlv(TAG.INTEGER, Uint8Array.of(0));
  return trimmed[0]! & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), trimmed) : tlv(TAG.INTEGER, trimmed);
}

/** A small non-negative INTEGER (versions, path lengths). */
export function smallInteger(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a small non-negative integer: ${value}`);
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return unsignedInteger(Uint8Array.from(bytes));
}

/** A named-bit BIT STRING (key usage) from the numbers of the bits set, trailing zero bits dropped as DER requires. */
export function namedBits(bits: readonly number[]): Buffer {
  if (bits.length === 0) return tlv(TAG.BIT_STRING, Uint8Array.of(0));
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return tlv(TAG.BIT_STRING, Uint8Array.of(7 - (highest & 7)), bytes);
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`not an object identifier: ${dotted}`);
  const bytes: number[] = [];
  // The first two arcs share one subidentifier; each is written base 128, high bit set on all bytes but its last.
  for (const value of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const groups: number[] = [value & 0x7f];
    for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift(0x80 | (rest & 0x7f));
    bytes.push(...groups);
  }
  return tlv(TAG.OID, Uint8Array.from(bytes));
}

/** UTCTime up to 2049 and GeneralizedTime after, as RFC 5280 §4.1.2.5 requires; whole seconds, UTC. */
export function time(date: Date): Buffer {
  const digits = date.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return date.getUTCFullYear() < 2050 ? tlv(TAG.UTC_TIME, Buffer.from(`${digits.slice(2)}Z`)) : tlv(TAG.GENERALIZED_TIME, Buffer.from(`${digits}Z`));
}

/** One decoded element: its tag, its content bytes, and the whole encoding (for signatures over exact bytes). */
export interface Element {
  tag: number;
  content: Buffer;
  encoded: Buffer;
}

export class DerError extends Error {}

const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** Reads the element that starts at `offset`; throws DerError on anything truncated or not definite-length DER. */
export function readElement(input: Uint8Array, offset = 0): Element {
  const bytes = asBuffer(input);
  if (offset + 2 > bytes.length) throw new DerError('truncated element');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let length = bytes[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported length encoding');
    if (offset + 2 + count > bytes.length) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new DerError('truncated content');
  return { tag, content: bytes.subarray(offset + header, end), encoded: bytes.subarray(offset, end) };
}

/** Reads exactly one element spanning all of `bytes`. */
export function readWhole(bytes: Uint8Array): Element {
  const element = readElement(bytes);
  if (element.encoded.length !== bytes.length) throw new DerError('trailing bytes after the element');
  return element;
}

/** The elements inside a constructed element, in order. */
export function children(element: Element): Element[] {
  const items: Element[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const item = readElement(element.content, offset);
    items.push(item);
    offset += item.encoded.length;
  }
  return items;
}

export function expectTag(element: Element | undefined, tag: number, what: string): Element {
  if (!element || element.tag !== tag) throw new DerError(`expected ${what}`);
  return element;
}

export function readObjectIdentifier(element: Element): string {
  const bytes = expectTag(element, TAG.OID, 'an object identifier').content;
  if (bytes.length === 0 || bytes[bytes.length - 1]! & 0x80) throw new DerError('truncated object identifier');
  const values: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      values.push(value);
      value = 0;
    }
  }
  const [joint, ...rest] = values as [number, ...number[]];
  const first = Math.min(2, Math.floor(joint / 40));
  return [first, joint - first * 40, ...rest].join('.');
}

/** The bytes of a BIT STRING with no unused bits (keys and signatures always are). */
export function readBitString(element: Element): Buffer {
  const content = expectTag(element, TAG.BIT_STRING, 'a bit string').content;
  if (content[0] !== 0) throw new DerError('bit string with unused bits');
  return content.subarray(1);
}

/** A UTCTime or GeneralizedTime of whole seconds in UTC, as RFC 5280 has certificates write them. */
export function readTime(element: Element): Date {
  const text = element.content.toString('latin1');
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const utc = element.tag === TAG.UTC_TIME;
  if (!match || (!utc && element.tag !== TAG.GENERALIZED_TIME) || utc !== (match[1]!.length === 2)) throw new DerError(`unreadable time ${text}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  // RFC 5280 §4.1.2.5.1: two-digit years 50–99 are 19xx, 00–49 are 20xx.
  const year = utc ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  return new Date(Date.UTC(year, mo - 1, d, h, mi, s));
}
