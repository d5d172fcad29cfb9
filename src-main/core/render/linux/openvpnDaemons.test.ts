// Starts real OpenVPN on rendered files in network namespaces: root uplink server, a leaf's two ends, a client VM profile.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAddresses } from '../../../../src-shared/plan/planAddresses.ts';
import { makeRoot } from '../../../../src-shared/testing/arbitraries.ts';
import { renderClientFiles, renderLeafFiles, renderRootFiles } from '../renderNodeFiles.ts';
import { fixtureKeys } from '../testing/fixtureKeys.ts';
import { createLab, daemonsUnavailable, waitForText, type Lab } from '../testing/netnsLab.ts';
import { writeRenderedFiles } from '../testing/writeFiles.ts';

const unavailable = daemonsUnavailable(['/usr/sbin/openvpn', '/usr/bin/ping']);

describe('rendered OpenVPN files run in real OpenVPN', () => {
  let lab: Lab | undefined;
  let dir = '';
  const ns = { root: '', leaf: '', client: '' };

  beforeAll(async () => {
    if (unavailable) return;
    dir = mkdtempSync(join(tmpdir(), 'raincoat-render-ovpn-'));
    lab = createLab('rcr');
    ns.root = lab.namespace('root');
    ns.leaf = lab.namespace('leaf');
    ns.client = lab.namespace('vm');
    lab.link(ns.root, '192.0.2.1/24', ns.leaf, '192.0.2.2/24');
    lab.link(ns.leaf, '198.51.100.1/24', ns.client, '198.51.100.2/24');
    for (const n of [ns.root, ns.leaf]) lab.exec(n, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);

    const plan = planAddresses({ roots: [makeRoot(1, { maxClients: 150 })], tunnels: [] });
    const keys = await fixtureKeys(plan);
    const addresses = { 'root-1': '192.0.2.1', 'leaf-1-1': '198.51.100.1' };
    writeRenderedFiles(join(dir, 'root-1'), renderRootFiles(plan, 1, keys, { addresses, baseDir: join(dir, 'root-1') }));
    writeRenderedFiles(join(dir, 'leaf-1-1'), renderLeafFiles(plan, 'leaf-1-1', keys, { addresses, inlineKeys: true }));
    writeRenderedFiles(dir, renderClientFiles(plan, keys, { addresses }));

    const openvpn = (namespace: string, config: string, log: string) =>
      lab!.start(namespace, '/usr/sbin/openvpn', ['--config', join(dir, config), '--log', join(dir, log)]);
    const ready = /Initialization Sequence Completed/;
    // The server first: a client's first packet to an unbound port costs a 2 s retransmit.
    openvpn(ns.root, 'root-1/openvpn/uplink-server.conf', 'root.log');
    await waitForText(join(dir, 'root.log'), ready, 10_000);
    openvpn(ns.leaf, 'leaf-1-1/openvpn/client-server.conf', 'leaf-clients.log');
    await waitForText(join(dir, 'leaf-clients.log'), ready, 10_000);
    openvpn(ns.leaf, 'leaf-1-1/openvpn/uplink-client.conf', 'leaf-uplink.log');
    openvpn(ns.client, 'clients/client-1-1.ovpn', 'vm.log');
    await waitForText(join(dir, 'leaf-uplink.log'), ready, 15_000);
    await waitForText(join(dir, 'vm.log'), ready, 15_000);
  }, 60_000);

  afterAll(async () => {
    await lab?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the leaf gets its pinned uplink address from the root', (ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    expect(lab!.exec(ns.leaf, 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'rc-uplink'])).toContain('inet 10.1.0.2/22');
    expect(lab!.exec(ns.leaf, 'ip', ['-4', 'route', 'show', '10.1.0.0/16'])).toContain('via 10.1.0.1 dev rc-uplink');
  });

  it('the client VM gets an address in its leaf client subnet and the overlay route', (ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    expect(lab!.exec(ns.client, 'ip', ['-4', '-o', 'addr', 'show'])).toMatch(/inet 10\.1\.4\.\d+\/25/);
    expect(lab!.exec(ns.client, 'ip', ['-4', 'route', 'show', '10.1.0.0/16'])).toContain('via 10.1.4.1');
  });

  it('the client VM reaches the root through its leaf, and the root answers through the iroute', (ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    expect(lab!.exec(ns.client, 'ping', ['-c', '1', '-W', '5', '10.1.0.1'])).toContain('1 received');
  });

  it('the daemons applied the rendered checks: CRL, client EKU, the ccd entry and its iroute, the pinned root name', (ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    const root = readFileSync(join(dir, 'root.log'), 'utf8');
    expect(root).toContain('CRL: loaded 1 CRLs');
    expect(root).toContain('++ Certificate has EKU (str) TLS Web Client Authentication, expects TLS Web Client Authentication');
    expect(root).toMatch(/OPTIONS IMPORT: reading client specific options from: .*\/openvpn\/ccd\/leaf-1-1/);
    expect(root).toContain('MULTI: internal route 10.1.4.0/25 -> leaf-1-1');
    const uplink = readFileSync(join(dir, 'leaf-uplink.log'), 'utf8');
    expect(uplink).toContain('VERIFY X509NAME OK: CN=root-1');
    expect(uplink).toMatch(/Data Channel: cipher 'AES-256-GCM'/);
  });
});
