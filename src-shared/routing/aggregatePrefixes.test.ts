import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockSize, parsePrefix } from '../net/ipv4.ts';
import { aggregatePrefixes } from './aggregatePrefixes.ts';

describe('aggregatePrefixes', () => {
  it.each([
    [['10.0.0.0/16', '10.1.0.0/16'], ['10.0.0.0/15']],
    [['10.1.0.0/16', '10.2.0.0/16'], ['10.1.0.0/16', '10.2.0.0/16']],
    [['10.3.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.0.0.0/16'], ['10.0.0.0/14']],
    [['10.0.0.0/16', '10.0.0.0/8', '10.7.0.0/16'], ['10.0.0.0/8']],
    [['10.7.0.0/16', '10.3.0.0/16', '10.12.0.0/16'], ['10.3.0.0/16', '10.7.0.0/16', '10.12.0.0/16']],
    [Array.from({ length: 256 }, (_, i) => `10.${i}.0.0/16`), ['10.0.0.0/8']],
    [['10.1.0.0/16', '10.1.0.0/16'], ['10.1.0.0/16']],
    [[], []],
  ])('%j → %j', (input, output) => {
    expect(aggregatePrefixes(input)).toEqual(output);
  });

  it('covers exactly the same addresses with no overlaps, and is minimal under merging', () => {
    const slash16 = fc.integer({ min: 0, max: 1023 }).map((n) => `${10 + (n >> 8)}.${n & 255}.0.0/16`);
    fc.assert(
      fc.property(fc.array(slash16, { maxLength: 60 }), (input) => {
        const output = aggregatePrefixes(input).map((p) => parsePrefix(p)!);
        const covered = (address: number, set: { base: number; length: number }[]) =>
          set.some((p) => address >= p.base && address < p.base + blockSize(p.length));
        const inputs = input.map((p) => parsePrefix(p)!);
        for (let n = 0; n < 1024; n++) {
          const address = ((10 + (n >> 8)) * 256 + (n & 255)) * 65536;
          expect(covered(address, output)).toBe(covered(address, inputs));
        }
        for (let i = 1; i < output.length; i++) {
          expect(output[i - 1]!.base + blockSize(output[i - 1]!.length)).toBeLessThanOrEqual(output[i]!.base);
          const [a, b] = [output[i - 1]!, output[i]!];
          const siblings = a.length === b.length && a.base % blockSize(a.length - 1) === 0 && a.base + blockSize(a.length) === b.base;
          expect(siblings).toBe(false);
        }
      }),
    );
  });
});
