import { describe, expect, it } from 'vitest';
import { formatIpv4, netmask, networkOf, parseCidr, parseIpv4, parsePrefix, prefixesOverlap } from './ipv4.ts';

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

  it.each([
    ['10.1.0.0/16', { address: 0x0a010000, length: 16 }],
    ['10.1.2.3/16', { address: 0x0a010203, length: 16 }],
    ['0.0.0.0/0', { address: 0, length: 0 }],
    ['10.1.0.0/32', { address: 0x0a010000, length: 32 }],
    ['10.1.0.0/33', undefined],
    ['10.1.0.0/', undefined],
    ['10.1.0.0/123', undefined],
    ['10.300.0.0/16', undefined],
    ['10.1.0.0', undefined],
  ])('parses %s as an address and a length, host bits allowed', (text, want) => {
    expect(parseCidr(text)).toEqual(want);
  });

  it.each([
    ['10.1.2.3/16', '10.1.0.0'],
    ['10.1.255.255/17', '10.1.128.0'],
    ['10.200.3.4/8', '10.0.0.0'],
    ['203.0.113.10/32', '203.0.113.10'],
    ['203.0.113.10/0', '0.0.0.0'],
  ])('the network of %s starts at %s', (text, want) => {
    expect(formatIpv4(networkOf(parseCidr(text)!))).toBe(want);
  });

  it('computes overlap and netmasks', () => {
    expect(prefixesOverlap(parsePrefix('10.0.0.0/8')!, parsePrefix('10.9.0.0/16')!)).toBe(true);
    expect(prefixesOverlap(parsePrefix('10.1.0.0/16')!, parsePrefix('10.2.0.0/16')!)).toBe(false);
    expect([netmask(0), netmask(22), netmask(25), netmask(32)]).toEqual(['0.0.0.0', '255.255.252.0', '255.255.255.128', '255.255.255.255']);
  });
});
