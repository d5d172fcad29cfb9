import { expect, test } from 'vitest';
import { normaliseSerialHex, randomSerial, serialFromHex, serialToHex } from './randomSerial.ts';

test('serials are 16 bytes, positive, with a non-zero first byte', () => {
  for (let i = 0; i < 500; i++) {
    const serial = randomSerial();
    expect(serial).toHaveLength(16);
    expect(serial[0]).toBeGreaterThan(0);
    expect(serial[0]).toBeLessThan(0x80);
  }
  expect(randomSerial(() => Buffer.alloc(16, 0xff))[0]).toBe(0x7f);
  expect(randomSerial(() => Buffer.alloc(16, 0x80))[0]).toBe(0x01);
});

test.each([
  ['7F:AB:00', '7fab00'],
  ['00ab', 'ab'],
  ['0', '00'],
  ['abc', '0abc'],
])('%s normalises to %s', (text, hex) => {
  expect(normaliseSerialHex(text)).toBe(hex);
});

test('hex round trips, and a set top bit gets a zero byte in front', () => {
  expect(serialFromHex('ff01')).toEqual(Buffer.from('00ff01', 'hex'));
  expect(serialFromHex('7f01')).toEqual(Buffer.from('7f01', 'hex'));
  expect(serialToHex(serialFromHex('ff01'))).toBe('ff01');
  expect(() => normaliseSerialHex('xyz')).toThrow(/hexadecimal/);
});
