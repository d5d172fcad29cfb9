import { expect, test } from 'vitest';
import { children, namedBits, objectIdentifier, readElement, readObjectIdentifier, readTime, readWhole, sequence, smallInteger, time, tlv, unsignedInteger } from './der.ts';
import { fromPem, toPem } from './pem.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test.each([
  ['01', '020101'],
  ['7f', '02017f'],
  ['80', '02020080'],
  ['000080', '02020080'],
  ['0000', '020100'],
  ['', '020100'],
])('unsigned integer %s encodes as %s', (magnitude, der) => {
  expect(hex(unsignedInteger(Buffer.from(magnitude, 'hex')))).toBe(der);
});

test.each([
  [0, '020100'],
  [2, '020102'],
  [200, '020200c8'],
  [65_536, '0203010000'],
])('small integer %i encodes as %s', (value, der) => {
  expect(hex(smallInteger(value))).toBe(der);
});

test.each([
  [0, '0400'],
  [127, '047f'],
  [128, '048180'],
  [300, '0482012c'],
])('a %i-byte value gets the right length form', (length, header) => {
  const der = tlv(0x04, Buffer.alloc(length));
  expect(hex(der.subarray(0, header.length / 2))).toBe(header);
  const element = readWhole(der);
  expect([element.tag, element.content.length, element.encoded.length]).toEqual([4, length, der.length]);
});

test.each([
  [[0], '03020780'],
  [[0, 2], '030205a0'],
  [[5, 6], '03020106'],
  [[8], '0303070080'],
])('named bits %j encode as %s', (bits, der) => {
  expect(hex(namedBits(bits))).toBe(der);
});

test.each(['2.5.4.3', '1.2.840.10045.4.3.2', '1.3.6.1.5.5.7.3.2', '2.999.1'])('object identifier %s reads back', (oid) => {
  expect(readObjectIdentifier(readWhole(objectIdentifier(oid)))).toBe(oid);
});

test.each([
  ['2026-03-01T12:00:00.999Z', '170d3236303330313132303030305a', '2026-03-01T12:00:00.000Z'],
  ['2049-12-31T23:59:59Z', '170d3439313233313233353935395a', '2049-12-31T23:59:59.000Z'],
  ['2050-01-01T00:00:00Z', '180f32303530303130313030303030305a', '2050-01-01T00:00:00.000Z'],
])('%s is written as %s (whole seconds) and reads back', (iso, der, back) => {
  expect(hex(time(new Date(iso)))).toBe(der);
  expect(readTime(readWhole(Buffer.from(der, 'hex'))).toISOString()).toBe(back);
});

test('a two-digit year from 50 on is of the 1900s', () => {
  expect(readTime(readWhole(Buffer.from('170d3530303130313030303030305a', 'hex'))).getUTCFullYear()).toBe(1950);
});

test('children and contents read back what was written', () => {
  const der = sequence(tlv(0x02, Uint8Array.of(5)), tlv(0x04, Buffer.from('hi')));
  const [a, b] = children(readWhole(der));
  expect(hex(a!.content)).toBe('05');
  expect(b!.content.toString()).toBe('hi');
  expect(hex(b!.encoded)).toBe('04026869');
});

test.each([
  ['30', /truncated element/],
  ['3005', /truncated content/],
  ['3080', /unsupported length/],
  ['3085010203040500', /unsupported length/],
  ['3f0100', /multi-byte tags/],
])('malformed DER %s is rejected', (input, error) => {
  expect(() => readElement(Buffer.from(input, 'hex'))).toThrow(error);
});

test('an element with bytes after it is not a whole element', () => {
  expect(() => readWhole(Buffer.from('300000', 'hex'))).toThrow(/trailing bytes/);
});

test('PEM wraps at 64 columns and reads back', () => {
  const der = Buffer.alloc(100, 7);
  const pem = toPem('CERTIFICATE', der);
  const lines = pem.trimEnd().split('\n');
  expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
  expect(lines[1]).toHaveLength(64);
  expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
  expect(fromPem(pem, 'CERTIFICATE')).toEqual(der);
  expect(() => fromPem(pem, 'X509 CRL')).toThrow(/X509 CRL/);
});
