// Rendered overlays on real daemons for transit tests (transitRouting, hardening): every root with its charon and uplink
// server, and client clouds (a leaf and a client VM) where asked. Everything the daemons read is rendered (validate → plan →
// ensureOverlayKeys → render), adapted as renderedOverlay.test.ts says (per-node lab folders as baseDir, the lab's
// strongswan.conf with kernel-libipsec, forwarding switched on by hand as the agent's linux backend does). One adaptation
// more, forced by this machine's strongSwan (5.9.8) with kernel-libipsec:
// - libipsec before 5.9.12 refuses a CHILD_SA whose local traffic selector holds no address of the box ("error installing
//   route with policy"), and a transit root's selectors hold other roots' overlays. Kernel ESP (VyOS, Linux with ESP) just
//   installs no route for such a selector; 5.9.12's libipsec installs one without a source. Here each transit root gets the
//   last address of each such prefix on lo (`rootAnchors`): a broadcast address of the last leaf subnet, used by no one.
import { join } from 'node:path';
import { transitAnchors } from '../../src-agent/tunnels/reroutePlan.ts';
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import { ensureOverlayKeys } from '../../src-main/core/pki/ensureOverlayKeys.ts';
import type { OverlayKeys } from '../../src-main/core/pki/keyTypes.ts';
import { rootTunnelEnds } from '../../src-main/core/render/overlayFacts.ts';
import { renderClientFiles, renderLeafFiles, renderRootFiles, type RenderedFile } from '../../src-main/core/render/renderNodeFiles.ts';
import type { RenderOptions } from '../../src-main/core/render/renderOptions.ts';
import type { Host, Lab } from './index.ts';
import { writeRendered, type Rendered } from './renderedText.ts';
import type { Charon } from './strongswan.ts';
import { planTopology } from './topologyPlan.ts';

/** A leaf's address on its client VMs' network, per cloud with clients. */
const leafAddress = (rootId: number) => `172.16.${rootId}.1`;

export interface Overlay {
  plan: AddressPlan;
  keys: OverlayKeys;
  rendered: Rendered;
}

/** Renders every node and the client profiles into `<lab>/overlay` as `raincoat render` would, one client per root; `options` added to every node's. */
async function renderOverlay(l: Lab, topology: unknown, options: RenderOptions): Promise<Overlay> {
  const plan = planTopology(topology);
  const keys = await ensureOverlayKeys(plan, undefined, { clientsPerRoot: 1 });
  const dir = join(l.dir, 'overlay');
  const addresses = Object.fromEntries(plan.roots.map((r) => [`leaf-${r.rootId}-1`, leafAddress(r.rootId)]));
  const under = (node: string, files: RenderedFile[]) => files.map((f) => ({ ...f, path: `${node}/${f.path}` }));
  const files: RenderedFile[] = [
    ...plan.roots.flatMap((r) => [
      ...under(r.nodeName, renderRootFiles(plan, r.rootId, keys, { ...options, addresses, baseDir: join(dir, r.nodeName) })),
      ...r.leaves.flatMap((leaf) => under(leaf.nodeName, renderLeafFiles(plan, leaf.nodeName, keys, { ...options, addresses, baseDir: join(dir, leaf.nodeName), inlineKeys: true }))),
    ]),
    ...renderClientFiles(plan, keys, { addresses }),
  ];
  return { plan, keys, rendered: await writeRendered(dir, files) };
}

/** The last address of each local selector prefix that holds none of the root's own overlay (see the header), as the agent's rerouting adds them. */
function rootAnchors(overlay: Overlay, rootId: number): string[] {
  const local = rootTunnelEnds(overlay.plan, rootId, overlay.keys, {}).flatMap((end) => end.selectors.flatMap((s) => s.local));
  return transitAnchors(local, overlay.plan.roots.find((r) => r.rootId === rootId)!.overlay);
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
    for (const anchor of rootAnchors(overlay, r.rootId)) await host.addAddress(anchor);
    roots.set(r.rootId, { host, charon: await l.startCharon(host, { swanctlConf: overlay.rendered(`${r.nodeName}/swanctl.conf`), load: false }) });
  }
  for (const { charon } of roots.values()) await charon.loadAll();
  for (const [rootId, { charon }] of roots) {
    for (const child of childNames(overlay, rootId)) await charon.waitForChildSa(child, { timeoutMs: 15_000 });
  }
  return roots;
}

/** A cloud's leaf on the internet, its client server and uplink, and a client VM behind it on its profile. */
async function startClientCloud(l: Lab, overlay: Overlay, internet: Host, rootId: number): Promise<{ leaf: Host; vm: Host; address: string }> {
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
  return { leaf, vm, address: match[1] };
}

/** `topology` rendered (with `options`) and running in `l`: every root, and a leaf and client VM in each of the two clouds named. */
export async function startOverlay(l: Lab, topology: unknown, clouds: [number, number], options: RenderOptions = {}) {
  const started = performance.now();
  const overlay = await renderOverlay(l, topology, options);
  const internet = await l.addSwitch('internet');
  const roots = await startRoots(l, overlay, internet);
  const vms = await Promise.all([startClientCloud(l, overlay, internet, clouds[0]), startClientCloud(l, overlay, internet, clouds[1])]);
  return { overlay, roots, vms, started, upMs: performance.now() - started };
}
