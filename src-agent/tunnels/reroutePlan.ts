// What a root's tunnels carry over the live graph (the drawn tunnels minus the cut ones): pure routing (planRoutes) with
// this root's side local, a probe child on each cut tunnel, and the addresses libipsec needs on a transit root.
import { blockSize, formatIpv4, parsePrefix } from '../../src-shared/net/ipv4.ts';
import { tunnelName } from '../../src-shared/plan/nodeNames.ts';
import { planRoutes } from '../../src-shared/routing/planRoutes.ts';

export interface RerouteTopology {
  /** `probeAddress`: the root's own address inside its overlay (its uplink server's), which a probe pings. */
  roots: ReadonlyArray<{ id: number; overlay: string; probeAddress: string }>;
  tunnels: ReadonlyArray<{ a: number; b: number }>;
}

export interface ChildTraffic {
  local: string[];
  remote: string[];
}

export interface TunnelTraffic {
  /** `tunnel-<a>-<b>`: the swanctl connection. */
  name: string;
  peer: number;
  /**
   * A live tunnel: its traffic selectors, this root's side local, in planRoutes' order (the same at both ends). A cut
   * tunnel: none, only `probe`, the two roots' own addresses, which keeps the tunnel tried and tells when it carries again.
   */
  children: ChildTraffic[];
  probe?: ChildTraffic;
}

export interface ReroutePlan {
  /** This root's tunnels, in ascending peer id. */
  tunnels: TunnelTraffic[];
  /**
   * One address (/32) in each local selector prefix that holds none of this root's own overlay: strongSwan 5.9.8's
   * kernel-libipsec refuses a CHILD_SA whose local selector holds no address of the box (see e2e/lab/transitOverlay.ts).
   * The prefix's last address: a broadcast address of its root's last leaf subnet, which no host uses.
   */
  anchors: string[];
}

export function reroutePlan(topology: RerouteTopology, selfRootId: number, cut: ReadonlySet<string>): ReroutePlan {
  const live = topology.tunnels.filter((t) => !cut.has(tunnelName(t.a, t.b)));
  const routes = new Map(planRoutes({ roots: topology.roots, tunnels: live }).tunnels.map((t) => [t.name, t]));
  const self = topology.roots.find((r) => r.id === selfRootId);
  if (self === undefined) throw new Error(`root ${selfRootId} is not in the overlay`);
  const probeOf = new Map(topology.roots.map((r) => [r.id, r.probeAddress]));
  const tunnels: TunnelTraffic[] = topology.tunnels
    .filter((t) => t.a === selfRootId || t.b === selfRootId)
    .map((t) => {
      const name = tunnelName(t.a, t.b);
      const peer = t.a === selfRootId ? t.b : t.a;
      const routed = routes.get(name);
      if (routed === undefined) return { name, peer, children: [], probe: { local: [`${self.probeAddress}/32`], remote: [`${probeOf.get(peer)}/32`] } };
      const isA = routed.a === selfRootId;
      return { name, peer, children: routed.selectors.map((s) => (isA ? { local: s.aSide, remote: s.bSide } : { local: s.bSide, remote: s.aSide })) };
    })
    .sort((x, y) => x.peer - y.peer);
  return { tunnels, anchors: transitAnchors(tunnels.flatMap((t) => t.children.flatMap((c) => c.local)), self.overlay) };
}

/** The last address (/32) of each of these local selector prefixes that holds none of `ownOverlay` (ReroutePlan.anchors). */
export function transitAnchors(localPrefixes: readonly string[], ownOverlay: string): string[] {
  const own = parsePrefix(ownOverlay)!;
  return [...new Set(localPrefixes)]
    .map((text) => parsePrefix(text)!)
    .filter((p) => own.base < p.base || own.base >= p.base + blockSize(p.length))
    .map((p) => `${formatIpv4(p.base + blockSize(p.length) - 1)}/32`)
    .sort();
}
