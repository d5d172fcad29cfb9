// Issue 12's lab proof of transit through roots: rendered overlays where no tunnel joins two clouds directly, on real daemons.
//
// A hub and two spokes (no spoke–spoke tunnel): a client VM of one spoke pings and opens a TCP connection to a client VM
// of the other, through the hub. A ring of four: a client VM of root 1 reaches root 3's through root 2 (two tunnels).
// Everything the daemons read is rendered (validate → plan → ensureOverlayKeys → render), adapted as renderedOverlay.test.ts
// says (per-node lab folders as baseDir, the lab's strongswan.conf with kernel-libipsec, forwarding switched on by hand as
// the agent's linux backend does). One adaptation more, forced by this machine's strongSwan (5.9.8) with kernel-libipsec:
// - libipsec before 5.9.12 refuses a CHILD_SA whose local traffic selector holds no address of the box ("error installing
//   route with policy"), and a transit root's selectors hold other roots' overlays. Kernel ESP (VyOS, Linux with ESP) just
//   installs no route for such a selector; 5.9.12's libipsec installs one without a source. Here each transit root gets the
//   last address of each such prefix on lo (`transitAnchors`): a broadcast address of the last leaf subnet, used by no one.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blockSize, formatIpv4, parsePrefix } from '../../src-shared/net/ipv4.ts';
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import { ensureOverlayKeys } from '../../src-main/core/pki/ensureOverlayKeys.ts';
import { rootTunnelEnds } from '../../src-main/core/render/overlayFacts.ts';
import { renderClientFiles, renderLeafFiles, renderRootFiles, type RenderedFile } from '../../src-main/core/render/renderNodeFiles.ts';
import type { OverlayKeys } from '../../src-main/core/pki/keyTypes.ts';
import { writeRenderedTree } from '../../src-main/core/renderOutput/writeRenderedTree.ts';
import { createLab, skipUnlessLab, type Host, type Lab } from './index.ts';
import type { Charon } from './strongswan.ts';
import { planTopology } from './topologyPlan.ts';

const root = (id: number, name: string) => ({ id, name, internetAddress: `192.0.2.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 10, cloud: { provider: 'existing' } });
const HUB = { roots: [root(1, 'hub'), root(2, 'spoke two'), root(3, 'spoke three')], tunnels: [{ a: 1, b: 2 }, { a: 1, b: 3 }] };
const RING = { roots: [1, 2, 3, 4].map((id) => root(id, `ring ${id}`)), tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 3, b: 4 }, { a: 4, b: 1 }] };
/** A leaf's address on its client VMs' network, per cloud with clients. */
const leafAddress = (rootId: number) => `172.16.${rootId}.1`;

let lab: Lab | undefined;
afterEach(async () => { await lab?.close(); lab = undefined; }); // also runs when the test fails

interface Overlay {
  plan: AddressPlan;
  keys: OverlayKeys;
  rendered: (path: string) => string;
}

/** Renders every node and the client profiles into `<lab>/overlay` as `raincoat render` would, one client per root. */
async function renderOverlay(l: Lab, topology: unknown): Promise<Overlay> {
  const plan = planTopology(topology);
  const keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 1 });
  const dir = join(l.dir, 'overlay');
  const addresses = Object.fromEntries(plan.roots.map((r) => [`leaf-${r.rootId}-1`, leafAddress(r.rootId)]));
  const under = (node: string, files: RenderedFile[]) => files.map((f) => ({ ...f, path: `${node}/${f.path}` }));
  const files: RenderedFile[] = [
    ...plan.roots.flatMap((r) => [
      ...under(r.nodeName, renderRootFiles(plan, r.rootId, keys, { addresses, baseDir: join(dir, r.nodeName) })),
      ...r.leaves.flatMap((leaf) => under(leaf.nodeName, renderLeafFiles(plan, leaf.nodeName, keys, { addresses, inlineKeys: true }))),
    ]),
    ...renderClientFiles(plan, keys, { addresses }),
  ];
  await writeRenderedTree(dir, files);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return { plan, keys, rendered: (path) => byPath.get(path) ?? assertNever(path) };
}

function assertNever(path: string): never {
  throw new Error(`nothing rendered at ${path}`);
}

/** The last address of each local selector prefix that holds none of the root's own overlay (see the header). */
function transitAnchors(overlay: Overlay, rootId: number): string[] {
  const own = parsePrefix(overlay.plan.roots.find((r) => r.rootId === rootId)!.overlay)!;
  const local = rootTunnelEnds(overlay.plan, rootId, overlay.keys, {}).flatMap((end) => end.selectors.flatMap((s) => s.local));
  return [...new Set(local)]
    .map((text) => parsePrefix(text)!)
    .filter((p) => own.base < p.base || own.base >= p.base + blockSize(p.length))
    .map((p) => `${formatIpv4(p.base + blockSize(p.length) - 1)}/32`);
}

/** The names of a root's CHILD_SAs, from its rendered swanctl.conf. */
function childNames(overlay: Overlay, rootId: number): string[] {
  return [...overlay.rendered(`root-${rootId}/swanctl.conf`).matchAll(/^ {12}(\S+) \{$/gm)].map((m) => m[1]!);
}

/**
 * Every root on the internet switch with its uplink server (its overlay address) and anchors, then every charon loaded in
 * turn: each end starts its tunnels as it loads, so the later end of each tunnel brings it up. Waits for every CHILD_SA.
 */
async function startRoots(l: Lab, overlay: Overlay, internet: Host): Promise<Map<number, { host: Host; charon: Charon }>> {
  const roots = new Map<number, { host: Host; charon: Charon }>();
  for (const r of overlay.plan.roots) {
    const host = await l.addHost(r.nodeName, { forwarding: true });
    await l.link(host, internet, { a: `${r.internetAddress}/24`, aIf: 'eth0' });
    await l.startOpenvpn(host, overlay.rendered(`${r.nodeName}/openvpn/uplink-server.conf`), {}, { name: `${r.nodeName}-uplink` });
    for (const anchor of transitAnchors(overlay, r.rootId)) await host.addAddress(anchor);
    roots.set(r.rootId, { host, charon: await l.startCharon(host, { swanctlConf: overlay.rendered(`${r.nodeName}/swanctl.conf`), load: false }) });
  }
  for (const { charon } of roots.values()) await charon.loadAll();
  for (const [rootId, { charon }] of roots) {
    for (const child of childNames(overlay, rootId)) await charon.waitForChildSa(child, { timeoutMs: 15_000 });
  }
  return roots;
}

/** A cloud's leaf on the internet, its client server and uplink, and a client VM behind it on its profile. */
async function startClientCloud(l: Lab, overlay: Overlay, internet: Host, rootId: number): Promise<{ vm: Host; address: string }> {
  const leaf = await l.addHost(`leaf-${rootId}-1`, { forwarding: true });
  await l.link(leaf, internet, { a: `192.0.2.${20 + rootId}/24`, aIf: 'eth0' });
  const vm = await l.addHost(`vm-${rootId}`);
  await l.link(leaf, vm, { a: `${leafAddress(rootId)}/24`, b: `172.16.${rootId}.10/24`, aIf: 'eth-vms', bIf: 'eth0' });
  await l.startOpenvpn(leaf, overlay.rendered(`leaf-${rootId}-1/openvpn/client-server.conf`), {}, { name: `leaf-${rootId}-1-clients` });
  await Promise.all([
    l.startOpenvpn(leaf, overlay.rendered(`leaf-${rootId}-1/openvpn/uplink-client.conf`), {}, { name: `leaf-${rootId}-1-uplink` }),
    l.startOpenvpn(vm, overlay.rendered(`clients/client-${rootId}-1.ovpn`), {}, { name: `client-${rootId}-1-vm` }),
  ]);
  const match = /inet (\d+\.\d+\.\d+\.\d+)\//.exec((await vm.exec(['ip', '-4', '-o', 'addr', 'show', 'dev', 'tun0'])).stdout);
  if (!match?.[1]) throw new Error(`vm-${rootId} has no address on tun0`);
  return { vm, address: match[1] };
}

/** Packets a root's CHILD_SA has sent so far. */
async function packetsOut(charon: Charon, child: string): Promise<number> {
  return (await charon.waitForChildSa(child)).child.packetsOut;
}

/** Opens a TCP connection from `from` to a server the lab runs at `address`:7000 in `to`, and returns what the server said. */
async function tcpExchange(l: Lab, from: Host, to: Host, address: string): Promise<string> {
  const server = l.spawn(to, [process.execPath, '-e', `require('node:net').createServer((s) => s.end('hello from ' + ${JSON.stringify(to.name)})).listen(7000, ${JSON.stringify(address)}, () => console.log('listening'))`], { name: `tcp-${to.name}` });
  await server.waitForLog('listening');
  const client = `const s = require('node:net').connect(7000, ${JSON.stringify(address)}); s.on('data', (d) => process.stdout.write(d)); s.on('error', (e) => { console.error(e.message); process.exit(1); });`;
  return (await from.exec([process.execPath, '-e', client], { timeoutMs: 10_000 })).stdout;
}

/** A new lab running `topology` rendered: every root, and a leaf and client VM in each of the two clouds named. */
async function startOverlay(topology: unknown, clouds: [number, number]) {
  const started = performance.now();
  lab = await createLab();
  const overlay = await renderOverlay(lab, topology);
  const internet = await lab.addSwitch('internet');
  const roots = await startRoots(lab, overlay, internet);
  const l = lab;
  const vms = await Promise.all([startClientCloud(l, overlay, internet, clouds[0]), startClientCloud(l, overlay, internet, clouds[1])]);
  return { l, roots, vms, started, upMs: performance.now() - started };
}

describe('transit through roots on real daemons', () => {
  it('a hub and two spokes: a client VM of one spoke pings and talks TCP to a client VM of the other, through the hub', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn']);
    const { l, roots, vms: [two, three], started, upMs } = await startOverlay(HUB, [2, 3]);

    // Each spoke's leaf routes the other spoke's overlay to its root (both spokes are reachable), and the hub carries it.
    expect((await two.vm.exec(['ip', '-4', 'route'])).stdout).toMatch(/^10\.2\.0\.0\/15 via 10\.2\.4\.1 /m);
    const hub = roots.get(1)!.charon;
    const before = [await packetsOut(hub, 'tunnel-1-2'), await packetsOut(hub, 'tunnel-1-3')];
    const ping = await two.vm.ping(three.address);
    await three.vm.ping(two.address);
    expect(await tcpExchange(l, two.vm, three.vm, three.address)).toBe('hello from vm-3');
    const after = [await packetsOut(hub, 'tunnel-1-2'), await packetsOut(hub, 'tunnel-1-3')];
    expect(after[0]).toBeGreaterThan(before[0]!);
    expect(after[1]).toBeGreaterThan(before[1]!);
    // No tunnel joins the spokes: their charons have only their tunnel to the hub.
    expect((await roots.get(2)!.charon.listSas()).map((ike) => ike.name)).toEqual(['tunnel-1-2']);
    console.log(`transit hub: 9 namespaces, 3 charons, 7 OpenVPN instances up in ${Math.round(upMs)} ms; spoke-to-spoke ping after ${ping.attempts} attempt(s), rtt ${ping.rttMs} ms; total ${Math.round(performance.now() - started)} ms`);
  });

  it('a ring of four: a client VM of root 1 reaches the opposite root 3 through root 2, two tunnels', async (ctx) => {
    skipUnlessLab(ctx, ['strongswan', 'openvpn']);
    const { l, roots, vms: [one, three], started, upMs } = await startOverlay(RING, [1, 3]);

    // The path of 1 and 3 is 1-2-3 (lower second root than 1-4-3): root 2 carries it, root 4 does not.
    const [via2, via4] = [roots.get(2)!.charon, roots.get(4)!.charon];
    const before = { via2: await packetsOut(via2, 'tunnel-2-3'), via4: await packetsOut(via4, 'tunnel-3-4') };
    const ping = await one.vm.ping(three.address);
    await three.vm.ping(one.address);
    expect(await tcpExchange(l, three.vm, one.vm, one.address)).toBe('hello from vm-1');
    expect(await packetsOut(via2, 'tunnel-2-3')).toBeGreaterThan(before.via2);
    expect(await packetsOut(via4, 'tunnel-3-4')).toBe(before.via4);
    console.log(`transit ring: 9 namespaces, 4 charons, 8 OpenVPN instances up in ${Math.round(upMs)} ms; 1-to-3 ping after ${ping.attempts} attempt(s), rtt ${ping.rttMs} ms; total ${Math.round(performance.now() - started)} ms`);
  });
});
