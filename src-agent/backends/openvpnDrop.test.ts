import { describe, expect, it } from 'vitest';
import { openvpnDropOf } from './openvpnDrop.ts';

describe('openvpnDropOf', () => {
  it.each([
    ['a server in its jail', 'port 1194\nuser raincoat-openvpn\ngroup raincoat-openvpn\nchroot /etc/raincoat/openvpn/clients/jail/client-server\n', { user: 'raincoat-openvpn', group: 'raincoat-openvpn', jail: '/etc/raincoat/openvpn/clients/jail/client-server' }],
    ['a client without a jail', 'client\nuser nobody\ngroup nogroup\n', { user: 'nobody', group: 'nogroup' }],
    ['a user alone', 'user openvpn\n', { user: 'openvpn' }],
    ['indented, with a CRLF', '  user openvpn\r\n', { user: 'openvpn' }],
    ['root kept', 'port 1194\nchroot /var/empty\n', undefined],
    ['a comment is no directive', '# user nobody\n;user nobody\n', undefined],
    ['inline blocks are not read as directives', '<ca>\n-----BEGIN CERTIFICATE-----\n</ca>\n', undefined],
  ])('%s', (_, config, drop) => {
    expect(openvpnDropOf(config)).toEqual(drop);
  });

  it.each([
    ['a user a shell would split', 'user root;reboot\n', /drop to "root;reboot", which is no system account name/],
    ['an upper-case group', 'user a\ngroup Wheel\n', /"Wheel", which is no system account name/],
    ['a relative jail', 'user a\nchroot jail\n', /chroot "jail" is not an absolute path/],
  ])('refuses %s', (_, config, problem) => {
    expect(() => openvpnDropOf(config)).toThrow(problem);
  });
});
