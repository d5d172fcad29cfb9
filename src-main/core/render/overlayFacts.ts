// Facts every renderer derives from the address plan the same way: who a node is, its peers, addresses, identities.
import type { AddressPlan, LeafPlan, RootPlan, TunnelPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { aggregatePrefixes } from '../../../src-shared/routing/aggregatePrefixes.ts';
import { planRoutes, type RoutePlan } from '../../../src-shared/routing/planRoutes.ts';
import { islands, rootGraph } from '../../../src-shared/routing/transitPaths.ts';
import { tunnelPskOf } from './keyMaterial.ts';
import type { RenderOptions } from './renderOptions.ts';

/** UDP port of every OpenVPN server (a root's uplink server, a leaf's client server: never on one box). */
export const OPENVPN_PORT = 1194;

export function rootOf(plan: AddressPlan, rootId: number): RootPlan {
  const root = plan.roots.find((r) => r.rootId === rootId);
  if (!root) throw new Error(`root ${rootId} is not in the address plan`);
  return root;
}

export function leafOf(plan: AddressPlan, leafNodeName: string): { root: RootPlan; leaf: LeafPlan } {
  for (const root of plan.roots) {
    const leaf = root.leaves.find((l) => l.nodeName === leafNodeName);
    if (leaf) return { root, leaf };
  }
  throw new Error(`${leafNodeName} is not in the address plan`);
}

/** Where a root is reached from the internet: its planned address unless the deploy says otherwise. */
export function rootAddress(root: RootPlan, options: RenderOptions): string {
  return options.addresses?.[root.nodeName] ?? root.internetAddress;
}

/** Where a leaf is reached: its known address, else its node name for the administrator to map in DNS or hosts. */
export function leafAddress(leaf: LeafPlan, options: RenderOptions): string {
  return options.addresses?.[leaf.nodeName] ?? leaf.nodeName;
}

/**
 * The leaves client profiles name by node name, having no known address (`leafAddress`): every leaf of a root with
 * client profiles, in plan order, that `options.addresses` leaves out. Profiles reach them only through DNS or hosts.
 */
export function profileLeavesWithoutAddress(plan: AddressPlan, keys: OverlayKeys, options: RenderOptions): string[] {
  const withClients = new Set(Object.values(keys.clients).map((c) => c.rootId));
  return plan.roots
    .filter((r) => withClients.has(r.rootId))
    .flatMap((r) => r.leaves.map((l) => l.nodeName))
    .filter((name) => options.addresses?.[name] === undefined);
}

/** The address IKE binds to: the box's own; for a NATed root its private address if known, else undefined (any). */
function rootLocalAddress(root: RootPlan, options: RenderOptions): string | undefined {
  const local = options.localAddresses?.[root.nodeName];
  if (local !== undefined) return local;
  return root.natted ? undefined : rootAddress(root, options);
}

/** Routes are worked out once per plan (plans are not changed once made), however many nodes are rendered from it. */
const routes = new WeakMap<AddressPlan, RoutePlan>();

/** Transit through roots (planRoutes): what each tunnel carries when traffic follows the drawn tunnels. */
export function routesOf(plan: AddressPlan): RoutePlan {
  let planned = routes.get(plan);
  if (!planned) {
    planned = planRoutes({ roots: plan.roots.map((r) => ({ id: r.rootId, overlay: r.overlay })), tunnels: plan.tunnels });
    routes.set(plan, planned);
  }
  return planned;
}

/** Every leaf of a root needs the same list: computed once per plan, for all roots, from the islands alone (cheap). */
const reachable = new WeakMap<AddressPlan, ReadonlyMap<number, readonly string[]>>();

/**
 * The overlays a root's clients reach, its own included: those of its island (the roots its tunnels join it to),
 * aggregated into the fewest prefixes covering exactly the same addresses (500 adjacent /16s make a few routes). What
 * a leaf routes to its root and pushes to its clients: an overlay no path of tunnels reaches is not promised to them.
 */
export function reachableOverlays(plan: AddressPlan, rootId: number): readonly string[] {
  let byRoot = reachable.get(plan);
  if (!byRoot) {
    const overlay = new Map(plan.roots.map((r) => [r.rootId, r.overlay]));
    const graph = rootGraph(
      plan.roots.map((r) => r.rootId),
      plan.tunnels,
    );
    byRoot = new Map(
      islands(graph).flatMap((island) => {
        const prefixes = aggregatePrefixes(island.map((id) => overlay.get(id)!));
        return island.map((id) => [id, prefixes] as const);
      }),
    );
    reachable.set(plan, byRoot);
  }
  const prefixes = byRoot.get(rootId);
  if (!prefixes) throw new Error(`root ${rootId} is not in the address plan`);
  return prefixes;
}

/** One traffic selector of a tunnel as one end sees it: its own side local. */
export interface EndSelector {
  local: string[];
  remote: string[];
}

/** One root's end of a root tunnel. */
export interface TunnelEnd {
  tunnel: TunnelPlan;
  local: RootPlan;
  peer: RootPlan;
  /** The lower root id (the tunnel's `a`) keeps the tunnel up; both ends start it when they load it (ipsecPolicy's tunnelEndRole). */
  keepsTunnelUp: boolean;
  /** undefined: any address (a NATed root whose private address is unknown). */
  localAddress: string | undefined;
  remoteAddress: string;
  /** IKE identities are internet addresses on both ends, so NAT in between changes nothing. */
  localId: string;
  remoteId: string;
  /** The tunnel's traffic selectors (routesOf), this end's side local: one IPsec child SA each, in the same order at both ends. */
  selectors: EndSelector[];
  psk: string;
}

/** The root's ends of its tunnels, in the plan's tunnel order. */
export function rootTunnelEnds(plan: AddressPlan, rootId: number, keys: OverlayKeys, options: RenderOptions): TunnelEnd[] {
  const local = rootOf(plan, rootId);
  const carried = new Map(routesOf(plan).tunnels.map((t) => [t.name, t.selectors]));
  return plan.tunnels
    .filter((t) => t.a === rootId || t.b === rootId)
    .map((tunnel) => {
      const peer = rootOf(plan, tunnel.a === rootId ? tunnel.b : tunnel.a);
      return {
        tunnel,
        local,
        peer,
        keepsTunnelUp: rootId === tunnel.a,
        localAddress: rootLocalAddress(local, options),
        remoteAddress: rootAddress(peer, options),
        localId: rootAddress(local, options),
        remoteId: rootAddress(peer, options),
        selectors: carried.get(tunnel.name)!.map((s) => (rootId === tunnel.a ? { local: s.aSide, remote: s.bSide } : { local: s.bSide, remote: s.aSide })),
        psk: tunnelPskOf(keys, tunnel.name),
      };
    });
}

/**
 * The leaves a client VM's profile lists, its own leaf first: client n starts at leaf ((n - 1) mod leaves) + 1,
 * so a root's clients spread evenly, and the other leaves follow in order as fallbacks.
 */
export function clientLeafOrder(root: RootPlan, clientIndex: number): LeafPlan[] {
  const count = root.leaves.length;
  if (count === 0) return [];
  const first = (((clientIndex - 1) % count) + count) % count;
  return [...root.leaves.slice(first), ...root.leaves.slice(0, first)];
}
