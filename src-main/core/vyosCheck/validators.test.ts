import { describe, expect, it } from 'vitest';
import { runValidator } from './validators.ts';

describe('runValidator', () => {
  it.each([
    ['ipv4-address', undefined, '203.0.113.10', true],
    ['ipv4-address', undefined, '203.0.113.10/32', false],
    ['ipv4-address', undefined, '010.0.0.1', false],
    ['ipv4-address', undefined, 'fe80::1', false],
    ['ip-address', undefined, '2001:db8::1', true],
    ['ip-address', undefined, 'any', false],
    ['ipv4-prefix', undefined, '10.1.0.0/16', true],
    ['ipv4-prefix', undefined, '10.1.0.1/16', false],
    ['ipv4-prefix', undefined, '10.1.0.0', false],
    ['ipv4-prefix', undefined, '10.1.0.0/33', false],
    ['ipv6-prefix', undefined, '2001:db8::/32', true],
    ['ipv6-prefix', undefined, '2001:db8::1/32', false],
    ['ip-prefix', undefined, '10.1.4.128/25', true],
    ['ip-prefix', undefined, '10.1.4.129/25', false],
    ['ipv4-host', undefined, '10.1.0.1/24', true],
    ['ipv4-host', undefined, '10.1.0.0/24', false],
    ['ipv4', undefined, '10.1.0.1', true],
    ['ipv4', undefined, '10.1.0.0/16', true],
    ['port-multi', undefined, '1194', true],
    ['port-multi', undefined, '500,4500', true],
    ['port-multi', undefined, '!22,1000-2000', true],
    ['port-multi', undefined, '0', false],
    ['port-multi', undefined, '65536', false],
    ['port-multi', undefined, '2000-1000', false],
    ['port-multi', undefined, '500,,4500', false],
    ['port-multi', undefined, 'ssh', 'unknown'],
    ['numeric', '--range 1-65535', '1194', true],
    ['numeric', '--range 1-65535', '0', false],
    ['numeric', '--range 1-65535', '65536', false],
    ['numeric', '--range 1-65535', '12a', false],
    ['numeric', '--range 1-65535', '-1', false],
    ['numeric', '--non-negative', '0', true],
    ['numeric', '--positive', '0', false],
    ['numeric', '--allow-range --range 0-100', '5-10', true],
    ['numeric', '--range 0-100', '5-10', false],
    ['numeric', '--range 0-100', '', false],
    ['base64', undefined, 'TWFu', true],
    ['base64', undefined, 'TWE=', true],
    ['base64', undefined, 'TWE', false],
    ['base64', undefined, 'TW E=', false],
    ['base64', undefined, '', false],
    ['fqdn', undefined, 'leaf-1-2', true],
    ['fqdn', undefined, 'vpn.example.org.', true],
    ['fqdn', undefined, '-bad.example', false],
    ['fqdn', undefined, 'a..b', false],
    ['fqdn', undefined, `${'a'.repeat(64)}.org`, false],
    ['ip-protocol', undefined, 'esp', true],
    ['ip-protocol', undefined, '50', true],
    ['ip-protocol', undefined, '256', false],
  ])('%s %s %j → %s', (name, argument, value, expected) => {
    expect(runValidator(name, argument, value)).toBe(expected);
  });

  it('names that carry their own arguments are split', () => {
    expect(runValidator('numeric --range 2-4', undefined, '3')).toBe(true);
    expect(runValidator('numeric --range 2-4', undefined, '5')).toBe(false);
  });

  it('a validator not implemented here is unknown, never true', () => {
    expect(runValidator('psk-secret', undefined, 'x')).toBe('unknown');
    expect(runValidator('file-path --lookup-path /sys/class/net --directory', undefined, 'eth0')).toBe('unknown');
    expect(runValidator('numeric', '--float', '1.5')).toBe('unknown');
  });
});
