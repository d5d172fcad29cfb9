// nftables for the linux backend (RenderOptions.agentPort): from the internet side only what the node serves gets in
// (a root: IKE, ESP, OpenVPN, the agent; a leaf: OpenVPN, the agent), and the node forwards only between the overlay's
// prefixes along the drawn paths (a root: the traffic selectors of its tunnels, planRoutes'; a leaf: its clients and
// the overlays its root reaches).
import type { AddressPlan } from '../../../../src-shared/plan/planAddresses.ts';
import { OPENVPN_PORT, leafOf, reachableOverlays, rootOf, routesOf } from '../overlayFacts.ts';
import { OPENVPN_DEVICES } from './renderOpenvpn.ts';

/** The one table Raincoat owns; every load replaces it whole, leaving other tables alone. */
export const NFT_TABLE = 'raincoat';
/** strongSwan's kernel-libipsec hands decrypted packets in through this TUN device (kernel ESP is matched by `meta ipsec`). */
const LIBIPSEC_DEVICE = 'ipsec0';

/** Traffic between any address of `a` and any of `b`, either way. */
interface ForwardPair {
  a: readonly string[];
  b: readonly string[];
}

const set = (items: readonly (string | number)[]) => (items.length === 1 ? String(items[0]) : `{ ${items.join(', ')} }`);
const quoted = (names: readonly string[]) => set(names.map((n) => `"${n}"`));

function renderRuleset(title: string, open: { ipsec: boolean; agentPort: number }, forward: readonly ForwardPair[]): string {
  const seen = new Set<string>();
  const forwardRules = forward.flatMap(({ a, b }) =>
    [
      [a, b],
      [b, a],
    ].flatMap(([from, to]) => {
      const rule = `ip saddr ${set(from!)} ip daddr ${set(to!)} accept`;
      if (seen.has(rule)) return [];
      seen.add(rule);
      return [`    ${rule}`];
    }),
  );
  return [
    `# ${title.replace(/[\r\n]+/g, ' ')}`,
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    '  chain input {',
    '    type filter hook input priority filter; policy drop;',
    '    iif "lo" accept',
    '    ct state established,related accept',
    '    ct state invalid drop',
    `    iifname ${quoted([OPENVPN_DEVICES.uplink, OPENVPN_DEVICES.clients, LIBIPSEC_DEVICE])} accept comment "the overlay's side"`,
    '    meta ipsec exists accept comment "decrypted by kernel ESP"',
    ...(open.ipsec ? ['    udp dport { 500, 4500 } accept comment "IKE, and ESP in UDP"', '    meta l4proto esp accept'] : []),
    `    udp dport ${OPENVPN_PORT} accept comment "OpenVPN"`,
    `    tcp dport ${open.agentPort} accept comment "the agent"`,
    '    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept',
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    ...forwardRules,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A root forwards within its own overlay (its leaves' clients) and, through each tunnel, between the sides of its selectors. */
export function renderRootNftables(plan: AddressPlan, rootId: number, agentPort: number): string {
  const root = rootOf(plan, rootId);
  const selectors = routesOf(plan)
    .tunnels.filter((t) => t.a === rootId || t.b === rootId)
    .flatMap((t) => t.selectors.map((s): ForwardPair => ({ a: s.aSide, b: s.bSide })));
  return renderRuleset(`Raincoat ${root.nodeName} (${root.name}): firewall`, { ipsec: true, agentPort }, [{ a: [root.overlay], b: [root.overlay] }, ...selectors]);
}

/** A leaf forwards between its client VMs and the overlays its root reaches (its own cloud's among them). */
export function renderLeafNftables(plan: AddressPlan, leafNodeName: string, agentPort: number): string {
  const { root, leaf } = leafOf(plan, leafNodeName);
  return renderRuleset(`Raincoat ${leafNodeName}: firewall`, { ipsec: false, agentPort }, [{ a: [leaf.clientSubnet], b: reachableOverlays(plan, root.rootId) }]);
}
