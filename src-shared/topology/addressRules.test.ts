import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCidr, parseIpv4 } from '../net/ipv4.ts';
import { internetAddressRefusal, overlayRefusal } from './addressRules.ts';

describe('address rules', () => {
  it.each(['203.0.113.10', '1.0.0.0', '126.255.255.255', '169.253.1.1', '223.255.255.255', '10.1.2.3'])('lets an internet host have %s', (text) => {
    expect(internetAddressRefusal(parseIpv4(text)!)).toBeUndefined();
  });

  it.each(['10.1.0.0/16', '100.64.0.0/16', '172.16.0.0/16', '223.255.0.0/16'])('takes %s as an overlay', (text) => {
    expect(overlayRefusal(parseCidr(text)!)).toBeUndefined();
  });

  it('only ever suggests an overlay it would take', () => {
    const cidr = fc.record({ address: fc.nat({ max: 0xffffffff }), length: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(cidr, (c) => {
        const meant = /did you mean (\S+)\?$/.exec(overlayRefusal(c) ?? '')?.[1];
        if (meant !== undefined) expect(overlayRefusal(parseCidr(meant)!)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });
});
