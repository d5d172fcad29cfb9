import { X509Certificate } from 'node:crypto';
import { expect, test } from 'vitest';
import { readWhole, sequence, set, tlv } from './der.ts';
import { certificateCommonName, commonNameDer, readCommonName } from './names.ts';
import { testCa } from './pki.testkit.ts';

const attribute = (oidHex: string, tag: number, text: string) => set(sequence(Buffer.from(oidHex, 'hex'), tlv(tag, Buffer.from(text))));
const ORGANIZATION = '060355040a';
const COMMON_NAME = '0603550403';

test('a commonName Name matches what openssl writes for /CN=root-1', () => {
  expect(commonNameDer('root-1').toString('hex')).toBe('3011310f300d06035504030c06726f6f742d31');
});

test.each([
  ['our own name', commonNameDer('leaf-3-2'), 'leaf-3-2'],
  ['a PrintableString after another attribute', sequence(attribute(ORGANIZATION, 0x0c, 'acme'), attribute(COMMON_NAME, 0x13, 'client-vm-1')), 'client-vm-1'],
  ['no common name', sequence(attribute(ORGANIZATION, 0x0c, 'acme')), undefined],
])('the common name of %s', (_name, der, expected) => {
  expect(readCommonName(readWhole(der))).toBe(expected);
});

test('a common name that is not a string is refused', () => {
  expect(() => readCommonName(readWhole(sequence(attribute(COMMON_NAME, 0x04, 'x'))))).toThrow(/as a string/);
});

test('the common name of a certificate', () => {
  expect(certificateCommonName(new X509Certificate(testCa('root-9').certPem))).toBe('root-9');
});
