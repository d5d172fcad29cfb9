import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIpv4 } from './ipv4.ts';
import { specialRangeOf } from './specialRanges.ts';

describe('specialRangeOf', () => {
  it.each([
    ['0.0.0.0', '0.0.0.0/8'],
    ['0.255.255.255', '0.0.0.0/8'],
    ['127.0.0.1', '127.0.0.0/8'],
    ['169.254.1.1', '169.254.0.0/16'],
    ['224.0.0.5', '224.0.0.0/4'],
    ['239.255.255.255', '224.0.0.0/4'],
    ['240.0.0.1', '240.0.0.0/4'],
    ['255.255.255.254', '240.0.0.0/4'],
    ['255.255.255.255', '255.255.255.255/32'],
    ['1.0.0.0', undefined],
    ['126.255.255.255', undefined],
    ['128.0.0.0', undefined],
    ['169.253.255.255', undefined],
    ['169.255.0.0', undefined],
    ['203.0.113.10', undefined],
    ['223.255.255.255', undefined],
  ])('%s lies in %s', (text, want) => {
    expect(specialRangeOf(parseIpv4(text)!)?.range).toBe(want);
  });

  it('holds exactly the addresses refused before reasons were given: 0/8, 127/8, 169.254/16 and 224/3', () => {
    const refusedBefore = (v: number) => {
      const first = v >>> 24;
      return first === 0 || first === 127 || first >= 224 || (first === 169 && ((v >>> 16) & 255) === 254);
    };
    const edges = fc.constantFrom(0, 0x00ffffff, 0x01000000, 0x7effffff, 0x7f000000, 0x7fffffff, 0x80000000, 0xa9fe0000, 0xa9feffff, 0xa9fdffff, 0xa9ff0000, 0xdfffffff, 0xe0000000, 0xffffffff);
    fc.assert(
      fc.property(fc.oneof(fc.nat({ max: 0xffffffff }), edges), (v) => (specialRangeOf(v) !== undefined) === refusedBefore(v)),
      { numRuns: 5000 },
    );
  });
});
