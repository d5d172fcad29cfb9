// Issue 3's integration test: a topology rendered by our renderers, run by real strongSwan and OpenVPN in the lab.
//
// Everything the daemons read is rendered from TOPOLOGY (validate → plan → ensureOverlayKeys → render); nothing is written
// by hand. What the test adapts, and why. Forced by the lab only:
// - baseDir: every namespace shares this machine's filesystem, so each node's files live in their own lab folder
//   (`<lab>/overlay/root-1`, …) instead of /etc/raincoat; the OpenVPN paths point there through `baseDir`.
// - strongswan.conf is the lab's own per charon instance (kernel-libipsec, since this kernel has no ESP; a private /run and
//   vici socket); the rendered swanctl.conf is loaded as it is.
// - The harness starts OpenVPN with `--cd <instance> --log <file>`; the rendered configurations, device names included
//   (rc-uplink, rc-clients), are otherwise used as they are, and so are the client profiles.
// Needed on a real Linux node as well, so a gap in the rendered files rather than a lab matter:
// - IPv4 forwarding, switched on here in the roots and leaves; no rendered Linux file sets it (VyOS forwards by default;
//   the agent's linux backend turns it on when it applies, see linuxBackend.test.ts).
// The leaves' addresses, which a deploy knows, go through the renderers' documented `addresses` option.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import { ensureOverlayKeys } from '../../src-main/core/pki/ensureOverlayKeys.ts';
import { issueCertificate } from '../../src-main/core/pki/issueCertificate.ts';
import type { OverlayKeys } from '../../src-main/core/pki/keyTypes.ts';
import { renderSwanctlConf } from '../../src-main/core/render/linux/renderSwanctlConf.ts';
import { renderClientFiles, renderLeafFiles, renderRootFiles, type RenderedFile } from '../../src-main/core/render/renderNodeFiles.ts';
import type { RenderOptions } from '../../src-main/core/render/renderOptions.ts';
import { fixtureKeys, samplePlan } from '../../src-main/core/render/fixtureKeys.testkit.ts';
import { writeFiles } from './files.ts';
import { addOneToOneNat, createLab, skipUnlessLab, type Host, type Lab } from './index.ts';
import { writeRendered, type Rendered } from './renderedText.ts';
import { planTopology } from './topologyPlan.ts';

/** Two clouds: root 1 with its internet address on the box, root 2 on EC2 (NATed one-to-one), a tunnel between them. */
const TOPOLOGY = {
  roots: [
    { id: 1, name: 'cloud one', internetAddress: '192.0.2.1', overlay: '10.1.0.0/16', maxClients: 100, cloud: { provider: 'existing' } },
    { id: 2, name: 'cloud two (EC2)', internetAddress: '192.0.2.2', overlay: '10.2.0.0/16', maxClients: 100, cloud: { provider: 'ec2' } },
  ],
  tunnels: [{ a: 1, b: 2 }],
};
/** Root 2's address on its box; the NAT router in front of it carries the internet address 192.0.2.2. */
const ROOT2_PRIVATE = '172.31.0.10';
/** Each leaf's address on the network of its client VMs: what a deploy knows and renders into the client profiles. */
const LEAF_ADDRESSES = { 'leaf-1-1': '172.16.1.1', 'leaf-2-1': '172.16.2.1' };
const TUNNEL = 'tunnel-1-2';

let plan: AddressPlan;
/** The keys of the first deploy, with two client profiles per root. */
let firstKeys: OverlayKeys;
/** The keys now: one client per root, so client-<root>-2 is revoked and on its CA's CRL. */
let keys: OverlayKeys;

beforeAll(async () => {
  plan = planTopology(TOPOLOGY);
  firstKeys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 2 });
  keys = await ensureOverlayKeys(plan, firstKeys, { clientsPerRoot: 1 });
});

let lab: Lab | undefined;
afterEach(async () => {
  try {
    await lab?.close();
  } finally {
    lab = undefined;
  }
});

/** Per node (`root-2`, `leaf-1-1`, or `clients` for the profiles): other keys or options than the deploy's, for a fault or a variant. */
type Variants = Record<string, { keys?: OverlayKeys; options?: RenderOptions }>;

/**
 * Renders every node of the plan and the client profiles, and writes them as `raincoat render` does into `<lab>/overlay`,
 * each node's baseDir being its own folder there. Returns the rendered text by path (`root-1/swanctl.conf`).
 */
async function renderOverlay(labDir: string, variants: Variants = {}): Promise<Rendered> {
  const dir = join(labDir, 'overlay');
  const optionsFor = (node: string): RenderOptions => ({ addresses: LEAF_ADDRESSES, baseDir: join(dir, node), ...variants[node]?.options });
  const keysFor = (node: string): OverlayKeys => variants[node]?.keys ?? keys;
  const under = (node: string, files: RenderedFile[]) => files.map((f) => ({ ...f, path: `${node}/${f.path}` }));
  // Leaves carry their key material inline, roots point at files: the daemons read both forms.
  const leafFiles = (leaf: string) => renderLeafFiles(plan, leaf, keysFor(leaf), { ...optionsFor(leaf), inlineKeys: true });
  const files: RenderedFile[] = [
    ...plan.roots.flatMap((root) => [
      ...under(root.nodeName, renderRootFiles(plan, root.rootId, keysFor(root.nodeName), optionsFor(root.nodeName))),
      ...root.leaves.flatMap((leaf) => under(leaf.nodeName, leafFiles(leaf.nodeName))),
    ]),
    ...renderClientFiles(plan, keysFor('clients'), optionsFor('clients')),
  ];
  return writeRendered(dir, files);
}

/** The internet; root 1 on it with its cloud's private network behind it; root 2 behind its one-to-one NAT router. */
async function buildRoots(l: Lab) {
  const internet = await l.addSwitch('internet');
  const root1 = await l.addHost('root-1', { forwarding: true });
  const nat2 = await l.addHost('nat-2');
  const root2 = await l.addHost('root-2', { forwarding: true });
  await l.link(root1, internet, { a: '192.0.2.1/24', aIf: 'eth0' });
  await l.link(nat2, internet, { a: '192.0.2.2/24', aIf: 'eth0' });
  await l.link(root2, nat2, { a: `${ROOT2_PRIVATE}/24`, b: '172.31.0.1/24', aIf: 'eth0', bIf: 'eth1' });
  await root2.addRoute('default', { via: '172.31.0.1' });
  await addOneToOneNat(nat2, [{ publicAddress: '192.0.2.2', privateAddress: ROOT2_PRIVATE }]);
  return { internet, root1, nat2, root2 };
}

/**
 * Leaf 1-1 in cloud 1's private network, root 1 its gateway. It reaches root 1 at root 1's internet address, which sits on
 * root 1's other interface: the uplink server must answer from that address, not from the one facing the leaf.
 */
async function buildLeafBehindRoot1(l: Lab, root1: Host): Promise<Host> {
  const leaf = await l.addHost('leaf-1-1', { forwarding: true });
  await l.link(leaf, root1, { a: '172.20.1.2/24', b: '172.20.1.1/24', aIf: 'eth0', bIf: 'eth1' });
  await leaf.addRoute('default', { via: '172.20.1.1' });
  return leaf;
}

/** Leaf 2-1 on the internet, reaching root 2 at its internet address through the NAT. */
async function buildLeafOnInternet(l: Lab, internet: Host): Promise<Host> {
  const leaf = await l.addHost('leaf-2-1', { forwarding: true });
  await l.link(leaf, internet, { a: '192.0.2.21/24', aIf: 'eth0' });
  return leaf;
}

/** A client VM on a network of its own behind its leaf, which it reaches at the leaf's address there (LEAF_ADDRESSES). */
async function addClientVm(l: Lab, leaf: Host, leafName: keyof typeof LEAF_ADDRESSES): Promise<Host> {
  const vm = await l.addHost(`vm-${leafName}`);
  const leafAddress = LEAF_ADDRESSES[leafName];
  await l.link(leaf, vm, { a: `${leafAddress}/24`, b: `${leafAddress.replace(/\.1$/, '.10')}/24`, aIf: 'eth-vms', bIf: 'eth0' });
  return vm;
}

/**
 * Both roots' uplink servers (which also give each root its overlay address), both charons, then root 2's configuration
 * and root 1's. Both ends start the tunnel as they load it; root 1 loads only once root 2's start has met a charon
 * without the tunnel and ended, so root 1's start builds the one IKE_SA the checks below look at (crossed starts are
 * tunnelLoadOrder.test.ts's subject).
 */
async function startRoots(l: Lab, rendered: Rendered, hosts: { root1: Host; root2: Host }) {
  const [uplink1, uplink2] = await Promise.all([
    l.startOpenvpn(hosts.root1, rendered('root-1/openvpn/uplink-server.conf'), {}, { name: 'root-1-uplink' }),
    l.startOpenvpn(hosts.root2, rendered('root-2/openvpn/uplink-server.conf'), {}, { name: 'root-2-uplink' }),
  ]);
  const [charon1, charon2] = await Promise.all([
    l.startCharon(hosts.root1, { swanctlConf: rendered('root-1/swanctl.conf'), load: false }),
    l.startCharon(hosts.root2, { swanctlConf: rendered('root-2/swanctl.conf'), load: false }),
  ]);
  await charon2.loadAll();
  await charon2.daemon.waitForLog('received NO_PROPOSAL_CHOSEN notify error');
  await charon1.loadAll();
  return { uplink1, uplink2, charon1, charon2 };
}

/** A leaf's client server, then its uplink client (its root's server must be up), then the client VM on its profile. */
async function startLeaf(l: Lab, rendered: Rendered, hosts: { leaf: Host; vm: Host }, leafName: string, profile: string) {
  const clients = await l.startOpenvpn(hosts.leaf, rendered(`${leafName}/openvpn/client-server.conf`), {}, { name: `${leafName}-clients` });
  const [uplink, vmVpn] = await Promise.all([
    l.startOpenvpn(hosts.leaf, rendered(`${leafName}/openvpn/uplink-client.conf`), {}, { name: `${leafName}-uplink` }),
    l.startOpenvpn(hosts.vm, rendered(`clients/${profile}.ovpn`), {}, { name: `${profile}-vm` }),
  ]);
  return { clients, uplink, vmVpn };
}

async function ipOutput(host: Host, args: readonly string[]): Promise<string> {
  return (await host.exec(['ip', ...args])).stdout;
}

/** The address OpenVPN gave a client VM on its tun device. */
async function tunAddress(vm: Host): Promise<string> {
  const match = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(await ipOutput(vm, ['-4', '-o', 'addr', 'show', 'dev', 'tun0']));
  if (!match?.[1]) throw new Error(`${vm.name} has no address on tun0`);
  return match[1];
}

describe('the rendered overlay on real daemons', () => {
  it('carries pings root to root through IPsec across the NAT, leaf to root over the uplink, and client VM to client VM across clouds', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn', 'nftables']);
    const started = performance.now();
    lab = await createLab();
    const rendered = await renderOverlay(lab.dir);
    const { internet, root1, root2 } = await buildRoots(lab);
    const leaf11 = await buildLeafBehindRoot1(lab, root1);
    const leaf21 = await buildLeafOnInternet(lab, internet);
    const cloud1 = { leaf: leaf11, vm: await addClientVm(lab, leaf11, 'leaf-1-1') };
    const cloud2 = { leaf: leaf21, vm: await addClientVm(lab, leaf21, 'leaf-2-1') };
    const roots = await startRoots(lab, rendered, { root1, root2 });
    const [leaf1, leaf2] = await Promise.all([
      startLeaf(lab, rendered, cloud1, 'leaf-1-1', 'client-1-1'),
      startLeaf(lab, rendered, cloud2, 'leaf-2-1', 'client-2-1'),
    ]);
    const tunnel = await roots.charon1.waitForChildSa(TUNNEL);
    const upMs = performance.now() - started;

    // Root to root: the /16s as traffic selectors, identities by internet address, root 2 seeing its own NAT.
    expect(tunnel.ike).toMatchObject({ state: 'ESTABLISHED', initiator: true, localHost: '192.0.2.1', remoteHost: '192.0.2.2', localId: '192.0.2.1', remoteId: '192.0.2.2' });
    expect(tunnel.child).toMatchObject({ mode: 'TUNNEL', encap: true, localTs: ['10.1.0.0/16'], remoteTs: ['10.2.0.0/16'] });
    const responder = await roots.charon2.waitForChildSa(TUNNEL);
    expect(responder.ike).toMatchObject({ initiator: false, localHost: ROOT2_PRIVATE, remoteHost: '192.0.2.1', localId: '192.0.2.2', remoteId: '192.0.2.1' });
    expect(responder.ike.raw['nat-local']).toBe('yes');
    expect(tunnel.ike.raw['nat-local']).toBeUndefined();
    expect(responder.child.spiOut).toBe(tunnel.child.spiIn);
    await root1.ping('10.2.0.1');
    await root2.ping('10.1.0.1');

    // Leaf to root over the uplink: the pinned address from the ccd entry, every overlay routed to the root.
    expect(await ipOutput(cloud1.leaf, ['-4', '-o', 'addr', 'show', 'dev', 'rc-uplink'])).toContain('inet 10.1.0.2/22');
    expect(await ipOutput(cloud1.leaf, ['-4', 'route', 'show', '10.2.0.0/16'])).toContain('via 10.1.0.1 dev rc-uplink');
    expect(await ipOutput(cloud2.leaf, ['-4', '-o', 'addr', 'show', 'dev', 'rc-uplink'])).toContain('inet 10.2.0.2/22');
    await cloud1.leaf.ping('10.1.0.1');
    await cloud2.leaf.ping('10.2.0.1');

    // Client VM to client VM: vm → leaf-1-1 → root-1 → IPsec through the NAT → root-2 → leaf-2-1 → vm, and back.
    const vm1Address = await tunAddress(cloud1.vm);
    const vm2Address = await tunAddress(cloud2.vm);
    expect(vm1Address).toMatch(/^10\.1\.4\.\d+$/);
    expect(vm2Address).toMatch(/^10\.2\.4\.\d+$/);
    expect(await ipOutput(cloud1.vm, ['-4', 'route', 'show', '10.2.0.0/16'])).toContain('via 10.1.4.1');
    const packetsBefore = tunnel.child.packetsOut;
    const crossing = await cloud1.vm.ping(vm2Address);
    await cloud2.vm.ping(vm1Address);
    await cloud1.vm.ping('10.2.0.1');
    const after = await roots.charon1.waitForChildSa(TUNNEL);
    expect(after.child.packetsOut).toBeGreaterThan(packetsBefore);
    console.log(
      `rendered overlay: 7 namespaces, 2 charons and 8 OpenVPN instances up in ${Math.round(upMs)} ms; ` +
        `first client-to-client ping across the clouds after ${crossing.attempts} attempt(s), rtt ${crossing.rttMs} ms`,
    );

    // What the daemons applied from the rendered files: CRL, EKUs, the ccd entries and iroutes, the pinned root name, AEAD.
    const root1Log = roots.uplink1.daemon.log();
    expect(root1Log).toContain('CRL: loaded 1 CRLs');
    expect(root1Log).toContain('++ Certificate has EKU (str) TLS Web Client Authentication, expects TLS Web Client Authentication');
    expect(root1Log).toMatch(/OPTIONS IMPORT: reading client specific options from: .*\/overlay\/root-1\/openvpn\/ccd\/leaf-1-1/);
    expect(root1Log).toContain('MULTI: internal route 10.1.4.0/25 -> leaf-1-1');
    expect(roots.uplink2.daemon.log()).toContain('MULTI: internal route 10.2.4.0/25 -> leaf-2-1');
    const uplinkLog = leaf1.uplink.daemon.log();
    expect(uplinkLog).toContain('VERIFY X509NAME OK: CN=root-1');
    expect(uplinkLog).toContain('++ Certificate has EKU (str) TLS Web Server Authentication, expects TLS Web Server Authentication');
    expect(uplinkLog).toMatch(/Data Channel: cipher 'AES-256-GCM'/);
    expect(leaf2.uplink.daemon.log()).toContain('VERIFY X509NAME OK: CN=root-2');
    expect(leaf1.clients.daemon.log()).toContain('CRL: loaded 1 CRLs');
  });

  it('brings the tunnel up as well with root 2 bound to its private address (localAddresses)', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn', 'nftables']);
    lab = await createLab();
    const rendered = await renderOverlay(lab.dir, { 'root-2': { options: { localAddresses: { 'root-2': ROOT2_PRIVATE } } } });
    expect(rendered('root-2/swanctl.conf')).toContain(`local_addrs = ${ROOT2_PRIVATE}`);
    const hosts = await buildRoots(lab);
    const roots = await startRoots(lab, rendered, hosts);
    await roots.charon1.waitForChildSa(TUNNEL);
    await hosts.root1.ping('10.2.0.1');
  });

  it('builds no CHILD_SA when one side holds a tampered pre-shared key', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn', 'nftables']);
    lab = await createLab();
    const psk = keys.tunnels[TUNNEL]!.psk;
    const tampered: OverlayKeys = { ...keys, tunnels: { ...keys.tunnels, [TUNNEL]: { psk: `${psk.slice(0, -1)}${psk.endsWith('A') ? 'B' : 'A'}` } } };
    const rendered = await renderOverlay(lab.dir, { 'root-2': { keys: tampered } });
    const hosts = await buildRoots(lab);
    const roots = await startRoots(lab, rendered, hosts);
    // Root 1 starts the SA as it loads; the secret is found by the identities, and only its value differs.
    await roots.charon1.daemon.waitForLog('received AUTHENTICATION_FAILED notify error');
    expect(roots.charon2.daemon.log()).toMatch(/tried 1 shared key for '192\.0\.2\.2' - '192\.0\.2\.1', but MAC mismatched/);
    await expect(roots.charon1.initiate(TUNNEL, { timeoutS: 3 })).rejects.toThrow(/establishing CHILD_SA 'tunnel-1-2' failed/);
    for (const charon of [roots.charon1, roots.charon2]) {
      expect((await charon.listSas()).flatMap((ike) => ike.children)).toEqual([]);
    }
  });

  it('refuses a leaf uplink whose certificate comes from another root\'s CA', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn', 'nftables']);
    lab = await createLab();
    // A client certificate named like the leaf, with every right extension, only signed by root 2's CA.
    const forged = issueCertificate(keys.roots['2']!.openvpnCa, 'leaf-1-1', 'client');
    const forgedKeys: OverlayKeys = { ...keys, leaves: { ...keys.leaves, 'leaf-1-1': { ...keys.leaves['leaf-1-1']!, uplinkClient: forged } } };
    const rendered = await renderOverlay(lab.dir, { 'leaf-1-1': { keys: forgedKeys } });
    const { root1 } = await buildRoots(lab);
    const leaf = await buildLeafBehindRoot1(lab, root1);
    const server = await lab.startOpenvpn(root1, rendered('root-1/openvpn/uplink-server.conf'), {}, { name: 'root-1-uplink' });
    const uplink = await lab.startOpenvpn(leaf, rendered('leaf-1-1/openvpn/uplink-client.conf'), {}, { name: 'leaf-1-1-uplink', waitReady: false });
    await server.daemon.waitForLog(/VERIFY ERROR: depth=0, error=unable to get local issuer certificate: CN=leaf-1-1/);
    expect(uplink.daemon.log()).not.toContain('Initialization Sequence Completed');
    // No uplink address and no overlay route: the leaf is not in the overlay.
    expect(await ipOutput(leaf, ['-4', '-o', 'addr', 'show'])).not.toContain('inet 10.1.');
    expect(await ipOutput(leaf, ['-4', 'route', 'show', '10.2.0.0/16'])).toBe('');
  });

  it('shuts out a client whose certificate was revoked, and lets a current one in', async (ctx) => {
    skipUnlessLab(ctx, ['openvpn']);
    lab = await createLab();
    // The client profiles of the first deploy: client-1-2's certificate is on the CRL the leaf holds now.
    const rendered = await renderOverlay(lab.dir, { clients: { keys: firstKeys } });
    const leaf = await lab.addHost('leaf-1-1');
    const vm = await addClientVm(lab, leaf, 'leaf-1-1');
    const server = await lab.startOpenvpn(leaf, rendered('leaf-1-1/openvpn/client-server.conf'), {}, { name: 'leaf-1-1-clients' });
    const [revoked] = await Promise.all([
      lab.startOpenvpn(vm, rendered('clients/client-1-2.ovpn'), {}, { name: 'client-1-2-vm', waitReady: false }),
      lab.startOpenvpn(vm, rendered('clients/client-1-1.ovpn'), {}, { name: 'client-1-1-vm' }),
    ]);
    await server.daemon.waitForLog(/VERIFY ERROR: depth=0, error=certificate revoked: CN=client-1-2/);
    expect(revoked.daemon.log()).not.toContain('Initialization Sequence Completed');
    await vm.ping('10.1.4.1');
  });
});

describe('rendered swanctl.conf of every root of a three-root mesh', () => {
  it('loads into a real charon: every connection and secret, nothing refused', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan']);
    const mesh = samplePlan('mesh');
    const meshKeys = await fixtureKeys(mesh);
    lab = await createLab();
    const charon = await lab.startCharon(await lab.addHost('swan'));
    for (const root of mesh.roots) {
      writeFiles(charon.swanctlDir, { 'swanctl.conf': renderSwanctlConf(mesh, root.rootId, meshKeys) });
      const out = await charon.loadAll();
      const tunnels = mesh.tunnels.filter((t) => t.a === root.rootId || t.b === root.rootId).map((t) => t.name);
      for (const name of tunnels) {
        expect(out).toContain(`loaded ike secret 'ike-${name}'`);
        expect(out).toContain(`loaded connection '${name}'`);
      }
      expect(out).toContain(`successfully loaded ${tunnels.length} connections`);
      expect(out).not.toMatch(/fail|error|invalid|unknown/i);
      const conns = await charon.swanctl(['--list-conns']);
      expect([...conns.matchAll(/^(tunnel-\d+-\d+): IKEv2/gm)].map((m) => m[1]).sort()).toEqual([...tunnels].sort());
      expect(conns).toMatch(root.natted ? /local:\s+%any/ : new RegExp(`local:\\s+${root.internetAddress.replaceAll('.', '\\.')}`));
    }
  });
});
