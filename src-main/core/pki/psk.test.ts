import { expect, test } from 'vitest';
import { PSK_ALPHABET, PSK_LENGTH, generatePsk } from './psk.ts';

test('a pre-shared key is 60 letters and digits', () => {
  expect(PSK_ALPHABET).toHaveLength(62);
  expect(PSK_LENGTH).toBe(60);
  for (let i = 0; i < 100; i++) expect(generatePsk()).toMatch(/^[A-Za-z0-9]{60}$/);
});

test('keys do not repeat', () => {
  const keys = new Set(Array.from({ length: 1000 }, () => generatePsk()));
  expect(keys.size).toBe(1000);
});

test('bytes that would bias the modulo are rejected, not folded', () => {
  // 248..255 would map onto the alphabet's first 8 characters a second time; they must be skipped.
  const bytes = [248, 249, 255, 0, 61, 62, 247, 250, 123];
  let served = 0;
  const random = (size: number) => {
    const chunk = Uint8Array.from(bytes.slice(served, served + size));
    served += size;
    return chunk;
  };
  expect(generatePsk(5, random)).toBe(`${PSK_ALPHABET[0]}${PSK_ALPHABET[61]}${PSK_ALPHABET[0]}${PSK_ALPHABET[247 % 62]}${PSK_ALPHABET[123 % 62]}`);
});

test('every character of the alphabet is about equally likely', () => {
  const counts = new Map<string, number>();
  const draws = 200;
  for (let i = 0; i < draws; i++) for (const c of generatePsk()) counts.set(c, (counts.get(c) ?? 0) + 1);
  expect(counts.size).toBe(62);
  // 12,000 characters, 193.5 expected each; chi-square with 61 degrees of freedom, p < 1e-6 beyond ~135.
  const expected = (draws * PSK_LENGTH) / 62;
  const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
  expect(chiSquare).toBeLessThan(135);
});
