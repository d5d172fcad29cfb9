// Issue 12 §4's lab proof of what hardening the rendered files gives, on real OpenVPN and nftables: keys by purpose, least
// privilege, the firewall.
//
// One cloud (root 1, one leaf, a client VM behind the leaf) rendered as `raincoat render` does (validate → plan →
// ensureOverlayKeys → render), written into per-node lab folders as renderedOverlay.test.ts does (its header says why).
// An intruder on the internet holds a client VM's profile and aims it at the root's uplink port.
// Least privilege: OpenVPN drops to nobody:nogroup (RenderOptions.openvpnUser; this machine has no dedicated user), and
// each server's jail is handed to that user here, as the agent does on a node (`chownJails`; deployHardening.test.ts runs the agent's own). The firewall: each
// node's rendered firewall.nft loaded with `nft -f`, as the agent does too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import { revokeSerials } from '../../src-main/core/pki/crl.ts';
import { ensureOverlayKeys } from '../../src-main/core/pki/ensureOverlayKeys.ts';
import type { OverlayKeys } from '../../src-main/core/pki/keyTypes.ts';
import { renderClientFiles, renderLeafFiles, renderRootFiles, type RenderedFile } from '../../src-main/core/render/renderNodeFiles.ts';
import type { RenderOptions } from '../../src-main/core/render/renderOptions.ts';
import { createLab, run, skipUnlessLab, waitFor, type Host, type Lab } from './index.ts';
import { writeRendered, type Rendered } from './renderedText.ts';
import { planTopology } from './topologyPlan.ts';
import { startOverlay } from './transitOverlay.ts';
import { LISTENER, pingOnce, tcpProbe } from './tcpProbe.ts';

const TOPOLOGY = {
  roots: [{ id: 1, name: 'cloud one', internetAddress: '192.0.2.1', overlay: '10.1.0.0/16', maxClients: 10, cloud: { provider: 'existing' } }],
  tunnels: [],
};
const LEAF_ADDRESS = '172.16.1.1';

let plan: AddressPlan;
let keys: OverlayKeys;
beforeAll(async () => {
  plan = planTopology(TOPOLOGY);
  keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 1 });
});

let lab: Lab | undefined;
afterEach(async () => { await lab?.close(); lab = undefined; }); // also runs when the test fails

/** Every node's files and the profiles, written into `<lab>/overlay/<node>` (each node's baseDir); the text by path. */
async function renderCloud(l: Lab, options: RenderOptions = {}): Promise<Rendered> {
  const dir = join(l.dir, 'overlay');
  const addresses = { 'leaf-1-1': LEAF_ADDRESS };
  const under = (node: string, files: RenderedFile[]) => files.map((f) => ({ ...f, path: `${node}/${f.path}` }));
  const files = [
    ...under('root-1', renderRootFiles(plan, 1, keys, { addresses, baseDir: join(dir, 'root-1'), ...options })),
    ...under('leaf-1-1', renderLeafFiles(plan, 'leaf-1-1', keys, { addresses, baseDir: join(dir, 'leaf-1-1'), ...options })),
    ...renderClientFiles(plan, keys, { addresses, ...options }),
  ];
  return writeRendered(dir, files);
}

/** Root 1 and an intruder on the internet, the leaf behind root 1, the client VM on its own network behind the leaf. */
async function buildCloud(l: Lab): Promise<{ root: Host; leaf: Host; vm: Host; intruder: Host }> {
  const internet = await l.addSwitch('internet');
  const root = await l.addHost('root-1', { forwarding: true });
  const intruder = await l.addHost('intruder');
  await l.link(root, internet, { a: '192.0.2.1/24', aIf: 'eth0' });
  await l.link(intruder, internet, { a: '192.0.2.66/24', aIf: 'eth0' });
  const leaf = await l.addHost('leaf-1-1', { forwarding: true });
  await l.link(leaf, root, { a: '172.20.1.2/24', b: '172.20.1.1/24', aIf: 'eth0', bIf: 'eth1' });
  await leaf.addRoute('default', { via: '172.20.1.1' });
  const vm = await l.addHost('vm');
  await l.link(leaf, vm, { a: `${LEAF_ADDRESS}/24`, b: '172.16.1.10/24', aIf: 'eth-vms', bIf: 'eth0' });
  return { root, leaf, vm, intruder };
}

/** A client profile aimed at the root's uplink server instead of its leaves. */
const aimedAtRoot = (profile: string) => profile.replace(/^remote .*\n/gm, '').replace(/^client\n/m, 'client\nremote 192.0.2.1 1194\n');

describe('keys by purpose on real OpenVPN', () => {
  it('a client VM connects with its own tls-crypt-v2 key; its profile does not open the root uplink port, which the leaf still uses', async (ctx) => {
    skipUnlessLab(ctx, ['openvpn']);
    lab = await createLab();
    const rendered = await renderCloud(lab);
    const hosts = await buildCloud(lab);
    const uplinkServer = await lab.startOpenvpn(hosts.root, rendered('root-1/openvpn/uplink-server.conf'), {}, { name: 'root-1-uplink' });
    const clientServer = await lab.startOpenvpn(hosts.leaf, rendered('leaf-1-1/openvpn/client-server.conf'), {}, { name: 'leaf-1-1-clients' });
    await lab.startOpenvpn(hosts.leaf, rendered('leaf-1-1/openvpn/uplink-client.conf'), {}, { name: 'leaf-1-1-uplink' });
    await lab.startOpenvpn(hosts.vm, rendered('clients/client-1-1.ovpn'), {}, { name: 'client-1-1-vm' });
    expect(clientServer.daemon.log()).toContain('Control Channel: using tls-crypt-v2 key');
    await hosts.vm.ping('10.1.0.1');

    const intruder = await lab.startOpenvpn(hosts.intruder, aimedAtRoot(rendered('clients/client-1-1.ovpn')), {}, { name: 'intruder', waitReady: false });
    // The uplink has no tls-crypt-v2 server key at all: no client VM's key unwraps there.
    await uplinkServer.daemon.waitForLog(/can not extract tls-crypt-v2 client key from \[AF_INET\]192\.0\.2\.66/);
    // Dropped before TLS: the root never even looked at the client's certificate.
    expect(uplinkServer.daemon.log()).not.toMatch(/192\.0\.2\.66.*VERIFY/);
    expect(intruder.daemon.log()).not.toContain('Initialization Sequence Completed');
  });

  it("a profile for VyOS leaves (the cloud's clients' tls-crypt key) does not open the root uplink port either", async (ctx) => {
    skipUnlessLab(ctx, ['openvpn']);
    lab = await createLab();
    const rendered = await renderCloud(lab, { clientServers: 'vyos' });
    expect(rendered('clients/client-1-1.ovpn')).toContain('<tls-crypt>');
    const hosts = await buildCloud(lab);
    const uplinkServer = await lab.startOpenvpn(hosts.root, rendered('root-1/openvpn/uplink-server.conf'), {}, { name: 'root-1-uplink' });
    const intruder = await lab.startOpenvpn(hosts.intruder, aimedAtRoot(rendered('clients/client-1-1.ovpn')), {}, { name: 'intruder', waitReady: false });
    await uplinkServer.daemon.waitForLog(/tls-crypt unwrapping failed from \[AF_INET\]192\.0\.2\.66/);
    expect(intruder.daemon.log()).not.toContain('Initialization Sequence Completed');
  });
});

const NOBODY = { user: 'nobody', group: 'nogroup' };

/** What the agent does for a node whose OpenVPN drops root: every server's jail (and all in it) belongs to that user. */
async function chownJails(l: Lab, nodes: readonly string[]): Promise<void> {
  for (const node of nodes) {
    for (const role of ['uplink-server', 'client-server']) {
      const jail = join(l.dir, 'overlay', node, 'jail', role);
      const result = await run(['sh', '-c', `[ ! -d "$0" ] || chown -R nobody:nogroup "$0"`, jail]);
      if (result.code !== 0) throw new Error(`chown ${jail}: ${result.stderr}`);
    }
  }
}

/** The real user id of a running process, from /proc. */
const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const NOBODY_UID = Number(/^nobody:[^:]*:(\d+):/m.exec(readFileSync('/etc/passwd', 'utf8'))![1]);

describe('least privilege on real OpenVPN', () => {
  it('every instance runs as nobody after start; a client revoked by a new CRL is refused, without a restart', async (ctx) => {
    skipUnlessLab(ctx, ['openvpn']);
    lab = await createLab();
    const rendered = await renderCloud(lab, { openvpnUser: NOBODY });
    await chownJails(lab, ['root-1', 'leaf-1-1']);
    const hosts = await buildCloud(lab);
    const uplinkServer = await lab.startOpenvpn(hosts.root, rendered('root-1/openvpn/uplink-server.conf'), {}, { name: 'root-1-uplink' });
    const clientServer = await lab.startOpenvpn(hosts.leaf, rendered('leaf-1-1/openvpn/client-server.conf'), {}, { name: 'leaf-1-1-clients' });
    const uplinkClient = await lab.startOpenvpn(hosts.leaf, rendered('leaf-1-1/openvpn/uplink-client.conf'), {}, { name: 'leaf-1-1-uplink' });
    const vmVpn = await lab.startOpenvpn(hosts.vm, rendered('clients/client-1-1.ovpn'), {}, { name: 'client-1-1-vm' });
    for (const instance of [uplinkServer, clientServer, uplinkClient]) {
      expect(instance.daemon.log()).toContain('UID set to nobody');
      expect(uidOf(instance.daemon.pid)).toBe(NOBODY_UID);
    }
    expect(uplinkServer.daemon.log()).toMatch(/chroot to '.*\/overlay\/root-1\/jail\/uplink-server' and cd to '\/' succeeded/);
    // After the drop: the leaf came in through its client-config-dir entry, read in the jail.
    expect(uplinkServer.daemon.log()).toContain('MULTI: internal route 10.1.4.0/25 -> leaf-1-1');
    await hosts.vm.ping('10.1.0.1');
    await vmVpn.stop();

    // A deploy revoking client-1-1 brings the leaf a new CRL; the running server reads it at the next connection.
    const revoked = revokeSerials(keys.roots['1']!.openvpnCa, [keys.clients['client-1-1']!.serial], new Date());
    writeFileSync(join(lab.dir, 'overlay', 'leaf-1-1', 'jail', 'client-server', 'crl.pem'), revoked.crlPem, { mode: 0o644 });
    const since = clientServer.daemon.logMark();
    const again = await lab.startOpenvpn(hosts.vm, rendered('clients/client-1-1.ovpn'), {}, { name: 'client-1-1-vm-again', waitReady: false });
    await clientServer.daemon.waitForLog(/VERIFY ERROR: depth=0, error=certificate revoked: CN=client-1-1/, { since });
    expect(clientServer.daemon.log(since)).toMatch(/CRL: loaded 1 CRLs from file crl\.pem/);
    expect(again.daemon.log()).not.toContain('Initialization Sequence Completed');
    expect(uidOf(clientServer.daemon.pid)).toBe(NOBODY_UID);
  });
});

describe('the firewall on real nftables', () => {
  it('from the internet only the OpenVPN and agent ports get in, no one forwards through the root; overlay traffic passes', async (ctx) => {
    skipUnlessLab(ctx, ['openvpn', 'nftables']);
    lab = await createLab();
    const agentPort = 7443;
    const rendered = await renderCloud(lab, { agentPort });
    const hosts = await buildCloud(lab);
    await lab.startOpenvpn(hosts.root, rendered('root-1/openvpn/uplink-server.conf'), {}, { name: 'root-1-uplink' });
    await lab.startOpenvpn(hosts.leaf, rendered('leaf-1-1/openvpn/client-server.conf'), {}, { name: 'leaf-1-1-clients' });
    await lab.startOpenvpn(hosts.leaf, rendered('leaf-1-1/openvpn/uplink-client.conf'), {}, { name: 'leaf-1-1-uplink' });
    await lab.startOpenvpn(hosts.vm, rendered('clients/client-1-1.ovpn'), {}, { name: 'client-1-1-vm' });
    for (const port of [agentPort, 2222]) lab.spawn(hosts.root, ['python3', '-c', LISTENER, String(port)], { name: `listener-${port}` });
    await hosts.intruder.addRoute('10.1.0.0/16', { via: '192.0.2.1' });
    // Without the firewall: both ports answer, and the root forwards the intruder's packets into its overlay.
    await waitFor(async () => (await tcpProbe(hosts.intruder, '192.0.2.1', 2222)) === 'open', { what: 'the listener on port 2222' });
    expect(await tcpProbe(hosts.intruder, '192.0.2.1', agentPort)).toBe('open');
    expect(await pingOnce(hosts.intruder, '10.1.0.2')).toBe(true);

    for (const node of ['root-1', 'leaf-1-1'] as const) {
      const host = node === 'root-1' ? hosts.root : hosts.leaf;
      const result = await host.exec(['nft', '-f', join(lab.dir, 'overlay', node, 'firewall.nft')], { allowFailure: true });
      expect(result.code, result.stderr).toBe(0);
    }
    expect(await tcpProbe(hosts.intruder, '192.0.2.1', 2222)).toBe('dropped');
    expect(await tcpProbe(hosts.intruder, '192.0.2.1', agentPort)).toBe('open');
    expect(await pingOnce(hosts.intruder, '10.1.0.2')).toBe(false);
    expect(await pingOnce(hosts.intruder, '192.0.2.1')).toBe(false);
    // The overlay: a client VM through its leaf to the root's overlay address, and to the leaf's uplink end, both ways.
    await hosts.vm.ping('10.1.0.1');
    await hosts.vm.ping('10.1.0.2');
    await hosts.root.ping('10.1.4.1');
    // A new OpenVPN connection through the firewall: the client VM again, from scratch.
    await lab.startOpenvpn(hosts.vm, rendered('clients/client-1-1.ovpn'), {}, { name: 'client-1-1-vm-again' });
  });
});

describe('the firewall on a transit root', () => {
  it('a hub and two spokes, every node walled: spoke to spoke through the hub passes, the hub forwards nothing else', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn', 'nftables']);
    lab = await createLab();
    const root = (id: number) => ({ id, name: `r${id}`, internetAddress: `192.0.2.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 10, cloud: { provider: 'existing' } });
    const hub = { roots: [root(1), root(2), root(3)], tunnels: [{ a: 1, b: 2 }, { a: 1, b: 3 }] };
    const { roots, vms: [two, three] } = await startOverlay(lab, hub, [2, 3], { agentPort: 7443 });
    const walled: Array<[Host, string]> = [...[...roots].map(([id, r]): [Host, string] => [r.host, `root-${id}`]), [two.leaf, 'leaf-2-1'], [three.leaf, 'leaf-3-1']];
    for (const [host, node] of walled) {
      const result = await host.exec(['nft', '-f', join(lab.dir, 'overlay', node, 'firewall.nft')], { allowFailure: true });
      expect(result.code, result.stderr).toBe(0);
    }
    // Through IPsec (ESP in UDP 4500 in, decrypted through ipsec0) and the hub's forward rules, both ways, new flows.
    await two.vm.ping(three.address);
    await three.vm.ping(two.address);
    await two.vm.ping('10.1.0.1');
    // A host on the internet sends to spoke 3's clients by the hub's internet address: the hub does not forward it.
    const intruder = await lab.addHost('intruder');
    await lab.link(intruder, lab.host('internet'), { a: '192.0.2.66/24', aIf: 'eth0' });
    await intruder.addRoute('10.0.0.0/8', { via: '192.0.2.1' });
    expect(await pingOnce(intruder, '10.3.4.1')).toBe(false);
    expect(await pingOnce(intruder, '10.1.0.1')).toBe(false);
    expect(await tcpProbe(intruder, '192.0.2.1', 22)).toBe('dropped');
  });
});
