import { expect, test } from 'vitest';
import { commonNameDer, contentBytes, readChildren, readTlv, sequence, tlv, unsignedInteger } from './der.ts';
import { fromPem, toPem } from './pem.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test.each([
  ['01', '020101'],
  ['7f', '02017f'],
  ['80', '02020080'],
  ['000080', '02020080'],
  ['0000', '020100'],
])('unsigned integer %s encodes as %s', (magnitude, der) => {
  expect(hex(unsignedInteger(Buffer.from(magnitude, 'hex')))).toBe(der);
});

test.each([
  [0, '0400'],
  [127, '047f'],
  [128, '048180'],
  [300, '0482012c'],
])('a %i-byte value gets the right length form', (length, header) => {
  const der = tlv(0x04, Buffer.alloc(length));
  expect(hex(der.subarray(0, header.length / 2))).toBe(header);
  expect(readTlv(der)).toEqual({ tag: 4, start: 0, contentStart: header.length / 2, end: der.length });
});

test('a commonName Name matches what openssl writes for /CN=root-1', () => {
  expect(hex(commonNameDer('root-1'))).toBe('3011310f300d06035504030c06726f6f742d31');
});

test('children and contents read back what was written', () => {
  const der = sequence(tlv(0x02, Uint8Array.of(5)), tlv(0x04, Buffer.from('hi')));
  const [a, b] = readChildren(der, readTlv(der));
  expect(hex(contentBytes(der, a!))).toBe('05');
  expect(Buffer.from(contentBytes(der, b!)).toString()).toBe('hi');
});

test.each([
  ['30', /truncated/],
  ['3005', /past the end/],
  ['3080', /unsupported length/],
  ['3085010203040500', /unsupported length/],
])('malformed DER %s is rejected', (input, error) => {
  expect(() => readTlv(Buffer.from(input, 'hex'))).toThrow(error);
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
