import { describe, expect, it } from 'vitest';
import { fakeRunner, type RecordedCommand } from './fakes.testkit.ts';
import { prepareOpenvpnDrops } from './openvpnAccounts.ts';

const line = (c: RecordedCommand) => [c.command, ...c.args].join(' ');
const JAIL = '/etc/raincoat/openvpn/client-server/jail/client-server';
const SERVER = { user: 'raincoat-openvpn', group: 'raincoat-openvpn', jail: JAIL };
const CLIENT = { user: 'raincoat-openvpn', group: 'raincoat-openvpn' };

/** getent answers from the accounts present; every other program succeeds. */
const host = (present: string[]) => fakeRunner((c) => (c.command === 'getent' ? { code: present.includes(`${c.args[0]}:${c.args[1]}`) ? 0 : 2 } : {}));

describe('prepareOpenvpnDrops', () => {
  it.each([
    [
      'a fresh node: the group, then the user, made as system accounts without home or shell',
      [],
      [
        'getent group raincoat-openvpn',
        'groupadd --system raincoat-openvpn',
        'getent passwd raincoat-openvpn',
        'useradd --system --no-create-home --shell /usr/sbin/nologin --gid raincoat-openvpn raincoat-openvpn',
        `chown -R -- raincoat-openvpn:raincoat-openvpn ${JAIL}`,
      ],
    ],
    [
      'a node that has them: nothing made (idempotent), the jail handed over again',
      ['group:raincoat-openvpn', 'passwd:raincoat-openvpn'],
      ['getent group raincoat-openvpn', 'getent passwd raincoat-openvpn', `chown -R -- raincoat-openvpn:raincoat-openvpn ${JAIL}`],
    ],
    [
      'a group there already, the user not',
      ['group:raincoat-openvpn'],
      [
        'getent group raincoat-openvpn',
        'getent passwd raincoat-openvpn',
        'useradd --system --no-create-home --shell /usr/sbin/nologin --gid raincoat-openvpn raincoat-openvpn',
        `chown -R -- raincoat-openvpn:raincoat-openvpn ${JAIL}`,
      ],
    ],
  ])('%s', async (_, present, expected) => {
    const runner = host(present);
    await prepareOpenvpnDrops(runner.run, '/etc/raincoat', [SERVER, CLIENT]);
    expect(runner.calls.map(line)).toEqual(expected);
  });

  it('gives a user without a group one of its own', async () => {
    const runner = host([]);
    await prepareOpenvpnDrops(runner.run, '/etc/raincoat', [{ user: 'vpn' }]);
    expect(runner.calls.map(line)).toEqual(['getent passwd vpn', 'useradd --system --no-create-home --shell /usr/sbin/nologin --user-group vpn']);
  });

  it('does nothing for instances that keep root', async () => {
    const runner = host([]);
    await prepareOpenvpnDrops(runner.run, '/etc/raincoat', []);
    expect(runner.calls).toEqual([]);
  });

  it.each([
    ['a jail outside the folder', { ...SERVER, jail: '/etc/shadow-dir' }, /jail \/etc\/shadow-dir is not inside \/etc\/raincoat/],
    ['a jail that climbs out', { ...SERVER, jail: '/etc/raincoat/../../root' }, /is not inside/],
  ])('refuses %s, handing nothing over', async (_, drop, problem) => {
    const runner = host(['group:raincoat-openvpn', 'passwd:raincoat-openvpn']);
    await expect(prepareOpenvpnDrops(runner.run, '/etc/raincoat', [drop])).rejects.toThrow(problem);
    expect(runner.calls.filter((c) => c.command === 'chown')).toEqual([]);
  });

  it('fails with the words of the program that failed', async () => {
    const useradd = fakeRunner((c) => (c.command === 'getent' ? { code: 2 } : c.command === 'useradd' ? { code: 1, stderr: 'useradd: cannot lock /etc/passwd; try again later.' } : {}));
    await expect(prepareOpenvpnDrops(useradd.run, '/etc/raincoat', [SERVER])).rejects.toThrow(/useradd .* failed \(exit 1\): useradd: cannot lock \/etc\/passwd/);
    const getent = fakeRunner((c) => (c.command === 'getent' ? { code: 127, stderr: 'spawn getent ENOENT' } : {}));
    await expect(prepareOpenvpnDrops(getent.run, '/etc/raincoat', [SERVER])).rejects.toThrow(/getent group raincoat-openvpn failed \(exit 127\)/);
  });
});
