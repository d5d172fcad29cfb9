import { describe, expect, it } from 'vitest';
import { planAddresses } from '../../../../src-shared/plan/planAddresses.ts';
import { makeRoot } from '../../../../src-shared/topology/arbitraries.testkit.ts';
import { fixtureKeys, samplePlan } from '../fixtureKeys.testkit.ts';
import { renderClientProfile, renderLeafClientServer, renderLeafUplinkClient, renderRootUplinkServer } from './renderOpenvpn.ts';

const plan = samplePlan('pair');
const keys = await fixtureKeys(plan, { clientsPerRoot: 4 });
const lines = (text: string) => text.split('\n');

describe('root uplink server', () => {
  const { config, clientConfigs } = renderRootUplinkServer(plan, 1, keys, { baseDir: '/srv/root-1' });

  it('serves the uplink subnet without a pool, only to leaves with a client-config-dir entry', () => {
    expect(lines(config)).toEqual(
      expect.arrayContaining([
        'dev rc-uplink',
        'dev-type tun',
        'proto udp',
        'port 1194',
        'multihome',
        'topology subnet',
        'server 10.1.0.0 255.255.252.0 nopool',
        'client-config-dir /srv/root-1/openvpn/ccd',
        'ccd-exclusive',
        'route 10.1.4.0 255.255.255.128',
        'route 10.1.4.128 255.255.255.128',
        'route 10.1.5.0 255.255.255.128',
        'dh none',
        'tls-version-min 1.2',
        'data-ciphers AES-256-GCM:CHACHA20-POLY1305',
        'remote-cert-tls client',
        'ca /srv/root-1/pki/ca.crt',
        'cert /srv/root-1/pki/uplink-server.crt',
        'key /srv/root-1/pki/uplink-server.key',
        'tls-crypt /srv/root-1/pki/uplink-tls-crypt.key',
        'crl-verify /srv/root-1/pki/crl.pem',
      ]),
    );
  });

  it('pins each leaf to its uplink address and routes its client subnet to it (iroute)', () => {
    expect(Object.keys(clientConfigs)).toEqual(['leaf-1-1', 'leaf-1-2', 'leaf-1-3']);
    expect(clientConfigs['leaf-1-2']).toBe(
      '# leaf-1-2: pinned uplink address and its client subnet\nifconfig-push 10.1.0.3 255.255.252.0\niroute 10.1.4.128 255.255.255.128\n',
    );
  });

  it('can carry its key material inline', () => {
    const inline = renderRootUplinkServer(plan, 1, keys, { inlineKeys: true }).config;
    expect(inline).toContain(`<key>\n${keys.roots['1']!.uplinkServer.keyPem.trimEnd()}\n</key>`);
    expect(inline).toContain('<crl-verify>\n-----BEGIN X509 CRL-----');
    expect(inline).not.toMatch(/^key \//m);
  });
});

describe('leaf files', () => {
  it('the uplink client reaches its root, pins the root certificate and routes every overlay through it', () => {
    const text = renderLeafUplinkClient(plan, 'leaf-2-1', keys, { baseDir: '/srv/leaf-2-1' });
    expect(lines(text)).toEqual(
      expect.arrayContaining([
        'client',
        'dev rc-uplink',
        'remote 203.0.0.2 1194',
        'nobind',
        'remote-cert-tls server',
        'verify-x509-name root-2 name',
        'route 10.1.0.0 255.255.0.0 10.2.0.1',
        'route 10.2.0.0 255.255.0.0 10.2.0.1',
        'cert /srv/leaf-2-1/pki/uplink-client.crt',
        'key /srv/leaf-2-1/pki/uplink-client.key',
        'tls-crypt /srv/leaf-2-1/pki/uplink-tls-crypt.key',
      ]),
    );
    expect(text).not.toContain('crl-verify');
  });

  it('the client server serves the leaf client subnet and pushes every overlay', () => {
    const text = renderLeafClientServer(plan, 'leaf-2-3', keys);
    expect(lines(text)).toEqual(
      expect.arrayContaining([
        'dev rc-clients',
        'multihome',
        'server 10.2.5.0 255.255.255.128',
        'push "route 10.1.0.0 255.255.0.0"',
        'push "route 10.2.0.0 255.255.0.0"',
        'remote-cert-tls client',
        'cert /etc/raincoat/pki/client-server.crt',
        'crl-verify /etc/raincoat/pki/crl.pem',
        // Its own key, for client VMs: not the uplink's.
        'tls-crypt-v2 /etc/raincoat/pki/client-tls-crypt-v2-server.key',
      ]),
    );
    expect(text).not.toMatch(/^tls-crypt /m);
  });
});

describe('overlay routes', () => {
  it('are aggregated: adjacent overlays travel as one prefix, both as leaf routes and as pushed routes', async () => {
    const adjacent = planAddresses({ roots: [makeRoot(2, { maxClients: 100 }), makeRoot(3, { maxClients: 100 })], tunnels: [{ a: 2, b: 3 }] });
    const adjacentKeys = await fixtureKeys(adjacent);
    const uplink = lines(renderLeafUplinkClient(adjacent, 'leaf-3-1', adjacentKeys)).filter((l) => l.startsWith('route '));
    expect(uplink).toEqual(['route 10.2.0.0 255.254.0.0 10.3.0.1']);
    const pushed = lines(renderLeafClientServer(adjacent, 'leaf-2-1', adjacentKeys)).filter((l) => l.startsWith('push '));
    expect(pushed).toEqual(['push "route 10.2.0.0 255.254.0.0"']);
  });
});

describe('client profile', () => {
  it('lists every leaf of its root, its own first, by address or node name, with everything inline', () => {
    const text = renderClientProfile(plan, 'client-1-2', keys, { addresses: { 'leaf-1-3': '198.51.100.13' } });
    expect(lines(text).filter((l) => l.startsWith('remote '))).toEqual(['remote leaf-1-2 1194', 'remote 198.51.100.13 1194', 'remote leaf-1-1 1194']);
    // A leaf without a known address is named, and the profile says so beside it.
    expect(lines(text).filter((l) => l.includes('no known internet address'))).toEqual([
      '# leaf-1-2 has no known internet address: its name must resolve (DNS or /etc/hosts)',
      '# leaf-1-1 has no known internet address: its name must resolve (DNS or /etc/hosts)',
    ]);
    const client = keys.clients['client-1-2']!;
    expect(text).toContain(`<cert>\n${client.certPem.trimEnd()}\n</cert>`);
    expect(text).toContain(`<key>\n${client.keyPem.trimEnd()}\n</key>`);
    expect(text).toContain(`<ca>\n${keys.roots['1']!.openvpnCa.certPem.trimEnd()}\n</ca>`);
    // Its own tls-crypt-v2 key: never the uplink's key, nor another client's.
    expect(text).toContain(`<tls-crypt-v2>\n${client.tlsCryptV2.trimEnd()}\n</tls-crypt-v2>`);
    expect(text).not.toContain(keys.roots['1']!.uplinkTlsCrypt.trim().split('\n')[5]!);
    expect(text).not.toContain('<tls-crypt>');
    expect(lines(text)).toEqual(expect.arrayContaining(['client', 'remote-cert-tls server', 'data-ciphers AES-256-GCM:CHACHA20-POLY1305']));
    expect(text).not.toMatch(/^(ca|cert|key) \//m);
  });

  it("for leaves on VyOS (no tls-crypt-v2), carries the cloud's clients' tls-crypt key, not the uplink's", () => {
    const text = renderClientProfile(plan, 'client-1-2', keys, { clientServers: 'vyos' });
    expect(text).toContain(`<tls-crypt>\n${keys.roots['1']!.clientTlsCrypt.trimEnd()}\n</tls-crypt>`);
    expect(text).not.toContain('<tls-crypt-v2>');
  });

  it('client 4 of three leaves starts again at the first', () => {
    const text = renderClientProfile(plan, 'client-1-4', keys);
    expect(lines(text).find((l) => l.startsWith('remote '))).toBe('remote leaf-1-1 1194');
  });

  it('refuses a client it has no keys for', () => {
    expect(() => renderClientProfile(plan, 'client-1-99', keys)).toThrow(/no keys for client client-1-99/);
  });
});

describe('routes to the overlays a root reaches', () => {
  it('go to leaves and clients for the roots joined by a path of tunnels only, none for an island', async () => {
    const hub = samplePlan('hub');
    const hubKeys = await fixtureKeys(hub);
    const routes = (leaf: string) => lines(renderLeafUplinkClient(hub, leaf, hubKeys)).filter((l) => l.startsWith('route '));
    const pushed = (leaf: string) => lines(renderLeafClientServer(hub, leaf, hubKeys)).filter((l) => l.startsWith('push '));
    expect(routes('leaf-2-1')).toEqual(['route 10.1.0.0 255.255.0.0 10.2.0.1', 'route 10.2.0.0 255.254.0.0 10.2.0.1']);
    expect(pushed('leaf-3-1')).toEqual(['push "route 10.1.0.0 255.255.0.0"', 'push "route 10.2.0.0 255.254.0.0"']);
    expect(routes('leaf-4-1')).toEqual(['route 10.4.0.0 255.255.0.0 10.4.0.1']);
    expect(pushed('leaf-4-1')).toEqual(['push "route 10.4.0.0 255.255.0.0"']);
  });
});

