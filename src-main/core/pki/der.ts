// Minimal DER encoding and reading for the certificate hot path, where a schema library's per-object cost would dominate.

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One tag-length-value; `contents` are concatenated. */
export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const body = contents.length === 1 ? contents[0]! : Buffer.concat(contents);
  return Buffer.concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  /** [0] and [3], constructed, context-specific: a certificate's version and extensions. */
  explicit0: 0xa0,
  explicit3: 0xa3,
} as const;

export function sequence(...contents: Uint8Array[]): Buffer {
  return tlv(TAG.sequence, ...contents);
}

/** A non-negative INTEGER from big-endian magnitude bytes (a 0x00 is prefixed when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  return (trimmed[0] ?? 0) & 0x80 ? tlv(TAG.integer, Uint8Array.of(0), trimmed) : tlv(TAG.integer, trimmed);
}

export function bitString(bytes: Uint8Array): Buffer {
  return tlv(TAG.bitString, Uint8Array.of(0), bytes);
}

export function octetString(bytes: Uint8Array): Buffer {
  return tlv(TAG.octetString, bytes);
}

/** OBJECT IDENTIFIER elements (tag and length included) that the hand-written encoders and readers use. */
export const OID = {
  /** id-at-commonName, 2.5.4.3 */
  commonName: Buffer.from('0603550403', 'hex'),
  /** id-ce-subjectKeyIdentifier, 2.5.29.14 */
  subjectKeyIdentifier: Buffer.from('0603551d0e', 'hex'),
} as const;

/** A Name made of one commonName attribute, as a UTF8String. */
export function commonNameDer(commonName: string): Buffer {
  return sequence(tlv(TAG.set, sequence(OID.commonName, tlv(TAG.utf8String, Buffer.from(commonName, 'utf8')))));
}

export interface Tlv {
  tag: number;
  /** Offsets into the buffer read: the whole element, and its contents. */
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the element at `offset`; throws on truncated or indefinite-length input. */
export function readTlv(bytes: Uint8Array, offset = 0): Tlv {
  const tag = bytes[offset];
  let first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new Error('DER: truncated element');
  let contentStart = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: unsupported length');
    length = 0;
    for (let i = 0; i < count; i++) {
      first = bytes[contentStart + i];
      if (first === undefined) throw new Error('DER: truncated length');
      length = length * 256 + first;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > bytes.length) throw new Error('DER: element runs past the end');
  return { tag, start: offset, contentStart, end };
}

/** The elements directly inside a constructed element. */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(bytes, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function elementBytes(bytes: Uint8Array, element: Tlv): Uint8Array {
  return bytes.subarray(element.start, element.end);
}

export function contentBytes(bytes: Uint8Array, element: Tlv): Uint8Array {
  return bytes.subarray(element.contentStart, element.end);
}

/** Whether `element` is exactly the encoded element `expected` (an OID from `OID`, say). */
export function elementEquals(bytes: Uint8Array, element: Tlv | undefined, expected: Uint8Array): boolean {
  return element !== undefined && Buffer.from(elementBytes(bytes, element)).equals(expected);
}
