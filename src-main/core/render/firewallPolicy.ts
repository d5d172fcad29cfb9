// What a node's firewall lets through, whatever renders it (nftables on linux, VyOS's firewall): from the internet side
// only what the node serves, and forwarding only between the overlay's prefixes along the drawn paths.
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import { leafOf, reachableOverlays, rootAddress, rootOf, routesOf } from './overlayFacts.ts';
import type { RenderOptions } from './renderOptions.ts';

/** Forwarded traffic from any address of `from` to any of `to`; every rule comes with its reverse. */
export interface ForwardRule {
  from: readonly string[];
  to: readonly string[];
}

export interface FirewallPolicy {
  /** Serves IKE and ESP: a root, whose tunnels they are. */
  ipsec: boolean;
  agentPort: number;
  /**
   * A leaf's root's uplink server, where its uplink client sends from a port of its own: let in from there even on a flow
   * conntrack has not seen leave (the firewall loaded while the uplink runs), else the uplink is deaf until it next sends.
   */
  uplinkServer?: string;
  /** Distinct, in the order the paths give them. */
  forward: ForwardRule[];
}

/** Each pair both ways, each direction once. */
function bothWays(pairs: ReadonlyArray<readonly [readonly string[], readonly string[]]>): ForwardRule[] {
  const seen = new Set<string>();
  return pairs.flatMap(([a, b]) =>
    [
      { from: a, to: b },
      { from: b, to: a },
    ].filter((rule) => {
      const key = `${rule.from.join(',')}>${rule.to.join(',')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

/** A root forwards within its own overlay (its leaves' clients) and, through each tunnel, between the sides of its selectors (planRoutes'). */
export function rootFirewallPolicy(plan: AddressPlan, rootId: number, agentPort: number): FirewallPolicy {
  const root = rootOf(plan, rootId);
  const selectors = routesOf(plan)
    .tunnels.filter((t) => t.a === rootId || t.b === rootId)
    .flatMap((t) => t.selectors.map((s) => [s.aSide, s.bSide] as const));
  return { ipsec: true, agentPort, forward: bothWays([[[root.overlay], [root.overlay]], ...selectors]) };
}

/** A leaf forwards between its client VMs and the overlays its root reaches (its own cloud's among them). */
export function leafFirewallPolicy(plan: AddressPlan, leafNodeName: string, agentPort: number, options: RenderOptions): FirewallPolicy {
  const { root, leaf } = leafOf(plan, leafNodeName);
  return { ipsec: false, agentPort, uplinkServer: rootAddress(root, options), forward: bothWays([[[leaf.clientSubnet], reachableOverlays(plan, root.rootId)]]) };
}
