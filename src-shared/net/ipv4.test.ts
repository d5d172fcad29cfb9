import { describe, expect, it } from 'vitest';
import { formatIpv4, netmask, parseIpv4, parsePrefix, prefixesOverlap } from './ipv4.ts';

describe('ipv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', 0xffffffff],
    ['10.1.2.3', 0x0a010203],
    ['1.2.3', undefined],
    ['1.2.3.4.5', undefined],
    ['256.0.0.1', undefined],
    ['01.2.3.4', undefined],
    [' 1.2.3.4', undefined],
    ['1.2.3.-4', undefined],
  ])('parses %s', (text, want) => {
    expect(parseIpv4(text)).toBe(want);
  });

  it('round-trips addresses and prefixes', () => {
    expect(formatIpv4(parseIpv4('198.51.100.7')!)).toBe('198.51.100.7');
    expect(parsePrefix('10.1.0.0/16')).toEqual({ base: 0x0a010000, length: 16 });
    expect(parsePrefix('10.1.0.1/16')).toBeUndefined();
    expect(parsePrefix('10.1.0.0/33')).toBeUndefined();
    expect(parsePrefix('10.1.0.0')).toBeUndefined();
  });

  it('computes overlap and netmasks', () => {
    expect(prefixesOverlap(parsePrefix('10.0.0.0/8')!, parsePrefix('10.9.0.0/16')!)).toBe(true);
    expect(prefixesOverlap(parsePrefix('10.1.0.0/16')!, parsePrefix('10.2.0.0/16')!)).toBe(false);
    expect([netmask(0), netmask(22), netmask(25), netmask(32)]).toEqual(['0.0.0.0', '255.255.252.0', '255.255.255.128', '255.255.255.255']);
  });
});
