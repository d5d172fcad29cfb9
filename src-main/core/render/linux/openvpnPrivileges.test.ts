import { describe, expect, it } from 'vitest';
import { linuxNodePart } from '../../deploy/nodePartsFromRender.ts';
import { fixtureKeys, samplePlan } from '../fixtureKeys.testkit.ts';
import { renderLeafFiles, renderRootFiles } from '../renderNodeFiles.ts';
import { renderLeafClientServer, renderLeafUplinkClient, renderRootUplinkServer } from './renderOpenvpn.ts';

const plan = samplePlan('pair');
const keys = await fixtureKeys(plan);
const lines = (text: string) => text.trimEnd().split('\n');
const DROP = { openvpnUser: { user: 'raincoat-openvpn', group: 'raincoat-openvpn' }, baseDir: '/srv/n' };

describe('OpenVPN dropping root (openvpnUser)', () => {
  it.each([
    ['uplink server', () => renderRootUplinkServer(plan, 1, keys, DROP).config, ['chroot /srv/n/jail/uplink-server', 'tmp-dir .', 'crl-verify crl.pem', 'client-config-dir ccd']],
    ['client server', () => renderLeafClientServer(plan, 'leaf-1-1', keys, DROP), ['chroot /srv/n/jail/client-server', 'tmp-dir .', 'crl-verify crl.pem']],
    ['uplink client', () => renderLeafUplinkClient(plan, 'leaf-1-1', keys, DROP), []],
  ])('the %s drops to the user and group, a server into its jail', (_, render, jailed) => {
    const text = lines(render());
    expect(text).toEqual(expect.arrayContaining(['user raincoat-openvpn', 'group raincoat-openvpn', 'persist-key', 'persist-tun', ...jailed]));
    if (jailed.length === 0) expect(text.some((l) => l.startsWith('chroot '))).toBe(false);
    expect(text.filter((l) => l.startsWith('crl-verify ')).length).toBe(jailed.length === 0 ? 0 : 1);
  });

  it('keeps the CRL a file in the jail even with everything else inline: it is read again when it changes', () => {
    const text = renderLeafClientServer(plan, 'leaf-1-1', keys, { ...DROP, inlineKeys: true });
    expect(text).toContain('\ncrl-verify crl.pem\n');
    expect(text).not.toContain('<crl-verify>');
    expect(text).toContain('<key>');
  });

  it('without it, OpenVPN keeps root and names its files by path, as before', () => {
    const text = renderRootUplinkServer(plan, 1, keys, { baseDir: '/srv/n' }).config;
    expect(text).not.toMatch(/^(user|group|chroot|tmp-dir) /m);
    expect(lines(text)).toEqual(expect.arrayContaining(['crl-verify /srv/n/pki/crl.pem', 'client-config-dir /srv/n/openvpn/ccd']));
  });

  it('renders each jail with what its server reads there, public files the user may own', () => {
    const rootJail = renderRootFiles(plan, 1, keys, DROP).filter((f) => f.path.startsWith('jail/'));
    expect(rootJail.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ['jail/uplink-server/ccd/leaf-1-1', '644'],
      ['jail/uplink-server/ccd/leaf-1-2', '644'],
      ['jail/uplink-server/ccd/leaf-1-3', '644'],
      ['jail/uplink-server/crl.pem', '644'],
    ]);
    expect(rootJail.at(-1)!.content).toBe(keys.roots['1']!.openvpnCa.crlPem);
    expect(renderLeafFiles(plan, 'leaf-1-1', keys, DROP).filter((f) => f.path.startsWith('jail/')).map((f) => f.path)).toEqual(['jail/client-server/crl.pem']);
  });

  it("lands in the linux backend's layout with the jail inside its instance's folder, the chroot pointed there", () => {
    const part = linuxNodePart('root-1', { files: renderRootFiles(plan, 1, keys, DROP), baseDir: '/srv/n' });
    expect(part.files!['openvpn/uplink-server.conf']).toContain('\nchroot /srv/n/openvpn/uplink-server/jail/uplink-server\n');
    expect(Object.keys(part.files!).filter((p) => p.includes('/jail/'))).toEqual([
      'openvpn/uplink-server/jail/uplink-server/ccd/leaf-1-1',
      'openvpn/uplink-server/jail/uplink-server/ccd/leaf-1-2',
      'openvpn/uplink-server/jail/uplink-server/ccd/leaf-1-3',
      'openvpn/uplink-server/jail/uplink-server/crl.pem',
    ]);
  });
});
