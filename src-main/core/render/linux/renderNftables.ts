// nftables for the linux backend (RenderOptions.agentPort): a node's firewall policy (firewallPolicy) as its own table.
import type { AddressPlan } from '../../../../src-shared/plan/planAddresses.ts';
import { NFT_TABLE } from '../../../../src-shared/protocol/nodeFirewall.ts';
import { leafFirewallPolicy, rootFirewallPolicy, type FirewallPolicy } from '../firewallPolicy.ts';
import { OPENVPN_PORT, rootOf } from '../overlayFacts.ts';
import type { RenderOptions } from '../renderOptions.ts';
import { OPENVPN_DEVICES } from './renderOpenvpn.ts';

/** strongSwan's kernel-libipsec hands decrypted packets in through this TUN device (kernel ESP is matched by `meta ipsec`). */
const LIBIPSEC_DEVICE = 'ipsec0';

const set = (items: readonly (string | number)[]) => (items.length === 1 ? String(items[0]) : `{ ${items.join(', ')} }`);
const quoted = (names: readonly string[]) => set(names.map((n) => `"${n}"`));

function renderRuleset(title: string, policy: FirewallPolicy): string {
  return [
    `# ${title.replace(/[\r\n]+/g, ' ')}`,
    // Declared, then deleted, then written: one `nft -f` transaction replaces the table whole, whether or not it was there.
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
    ...(policy.ipsec ? ['    udp dport { 500, 4500 } accept comment "IKE, and ESP in UDP"', '    meta l4proto esp accept'] : []),
    `    udp dport ${OPENVPN_PORT} accept comment "OpenVPN"`,
    ...(policy.uplinkServer ? [`    ip saddr ${policy.uplinkServer} udp sport ${OPENVPN_PORT} accept comment "its root's uplink server"`] : []),
    `    tcp dport ${policy.agentPort} accept comment "the agent"`,
    '    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept',
    '  }',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    ...policy.forward.map((rule) => `    ip saddr ${set(rule.from)} ip daddr ${set(rule.to)} accept`),
    '  }',
    '}',
    '',
  ].join('\n');
}

export function renderRootNftables(plan: AddressPlan, rootId: number, agentPort: number): string {
  const root = rootOf(plan, rootId);
  return renderRuleset(`Raincoat ${root.nodeName} (${root.name}): firewall`, rootFirewallPolicy(plan, rootId, agentPort));
}

export function renderLeafNftables(plan: AddressPlan, leafNodeName: string, agentPort: number, options: RenderOptions = {}): string {
  return renderRuleset(`Raincoat ${leafNodeName}: firewall`, leafFirewallPolicy(plan, leafNodeName, agentPort, options));
}
