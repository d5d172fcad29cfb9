// Just enough DER (X.690) to write and read certification requests and certificates without an X.509 library.

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

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const sequence = (...parts: Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, Buffer.concat(parts));
export const set = (...parts: Uint8Array[]): Buffer => tlv(TAG.SET, Buffer.concat(parts));
/** `[n]` with constructed content (EXPLICIT tagging, or IMPLICIT over a constructed type). */
export const contextConstructed = (n: number, ...parts: Uint8Array[]): Buffer => tlv(0xa0 | n, Buffer.concat(parts));
export const octetString = (bytes: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, bytes);
export const bitString = (bytes: Uint8Array): Buffer => tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), bytes]));
export const utf8String = (text: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([value ? 0xff : 0]));
export const nullValue = (): Buffer => tlv(TAG.NULL, Buffer.alloc(0));

/** A non-negative INTEGER from its unsigned big-endian bytes (a 0 byte is prepended when the top bit is set). */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = Buffer.from(bytes.subarray(start));
  const content = trimmed.length === 0 ? Buffer.from([0]) : (trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
  return tlv(TAG.INTEGER, content);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`not an object identifier: ${dotted}`);
  const bytes: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const groups: number[] = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift(0x80 | (rest & 0x7f));
    bytes.push(...groups);
  }
  return tlv(TAG.OID, Buffer.from(bytes));
}

/** UTCTime up to 2049 and GeneralizedTime after, as RFC 5280 §4.1.2.5 requires; whole seconds, UTC. */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  return date.getUTCFullYear() < 2050 ? tlv(TAG.UTC_TIME, Buffer.from(`${digits.slice(2)}Z`)) : tlv(TAG.GENERALIZED_TIME, Buffer.from(`${digits}Z`));
}

/** One decoded element: its tag, its content bytes, and the whole encoding (for signatures over exact bytes). */
export interface Element {
  tag: number;
  content: Buffer;
  encoded: Buffer;
}

export class DerError extends Error {}

/** Reads the element that starts at `offset`; throws DerError on anything truncated or not definite-length DER. */
export function readElement(bytes: Buffer, offset = 0): Element {
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
export function readWhole(bytes: Buffer): Element {
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
  expectTag(element, TAG.OID, 'an object identifier');
  const bytes = element.content;
  if (bytes.length === 0) throw new DerError('empty object identifier');
  const arcs = [Math.min(2, Math.floor(bytes[0]! / 40)), bytes[0]! - Math.min(2, Math.floor(bytes[0]! / 40)) * 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** The bytes of a BIT STRING with no unused bits (keys and signatures always are). */
export function readBitString(element: Element): Buffer {
  expectTag(element, TAG.BIT_STRING, 'a bit string');
  if (element.content[0] !== 0) throw new DerError('bit string with unused bits');
  return element.content.subarray(1);
}

export function pemEncode(label: string, der: Uint8Array): string {
  const body = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with this label; throws DerError when there is none. */
export function pemDecode(label: string, pem: string): Buffer {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new DerError(`expected a PEM block "${label}"`);
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}
