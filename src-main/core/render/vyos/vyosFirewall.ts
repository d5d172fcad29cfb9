// The VyOS `firewall` subtree of a node (RenderOptions.agentPort): its firewall policy (firewallPolicy) as ipv4 input
// and forward filters, in the syntax VyOS 1.4 and 1.5 share; each forwarded side a network group.
import type { FirewallPolicy } from '../firewallPolicy.ts';
import { OPENVPN_PORT } from '../overlayFacts.ts';
import { leaf, node, tagNode, type ConfigEntry, type ConfigNode } from '../configTree.ts';
import { VYOS_NAMES } from './vyosNames.ts';

/** Rule numbers step by 10, as VyOS's own examples do; the two filters are Raincoat's whole (the vyos backend deletes them at each apply). */
const STEP = 10;

function rules(entries: ReadonlyArray<{ description: string; match: ConfigEntry[] }>): ConfigNode[] {
  return entries.map(({ description, match }, i) => tagNode('rule', String((i + 1) * STEP), [leaf('action', 'accept'), leaf('description', description), ...match]));
}

const port = (protocol: 'udp' | 'tcp', ports: string): ConfigEntry[] => [leaf('protocol', protocol), node('destination', [leaf('port', ports)])];

/** `interfaces` are the node's OpenVPN devices: what arrives through them comes from the overlay's side. */
export function vyosFirewall(policy: FirewallPolicy, interfaces: readonly string[]): ConfigNode {
  const groups = new Map<string, { name: string; networks: readonly string[] }>();
  const groupOf = (networks: readonly string[]) => {
    const key = networks.join(' ');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { name: `${VYOS_NAMES.firewallGroupPrefix}${groups.size + 1}`, networks }));
    return group.name;
  };
  const forward = rules(
    policy.forward.map((rule) => ({
      description: `overlay ${rule.from.join(' ')} to ${rule.to.join(' ')}`,
      match: [node('source', [node('group', [leaf('network-group', groupOf(rule.from))])]), node('destination', [node('group', [leaf('network-group', groupOf(rule.to))])])],
    })),
  );
  const input = rules([
    { description: 'replies', match: [leaf('state', ['established', 'related'])] },
    { description: 'the node itself', match: [node('inbound-interface', [leaf('name', 'lo')])] },
    // No apostrophes in descriptions: a deploy package takes only set lines whose quoted words hold none.
    ...interfaces.map((name) => ({ description: 'the overlay side', match: [node('inbound-interface', [leaf('name', name)])] })),
    { description: 'decrypted by IPsec', match: [node('ipsec', [leaf('match-ipsec')])] },
    ...(policy.ipsec ? [{ description: 'IKE, and ESP in UDP', match: port('udp', '500,4500') }, { description: 'ESP', match: [leaf('protocol', 'esp')] }] : []),
    { description: 'OpenVPN', match: port('udp', String(OPENVPN_PORT)) },
    ...(policy.uplinkServer
      ? [{ description: 'the uplink server of its root', match: [leaf('protocol', 'udp'), node('source', [leaf('address', policy.uplinkServer), leaf('port', String(OPENVPN_PORT))])] }]
      : []),
    { description: 'the agent', match: port('tcp', String(policy.agentPort)) },
  ]);
  return node('firewall', [
    node('group', [...groups.values()].map((g) => tagNode('network-group', g.name, [leaf('network', g.networks)]))),
    node('ipv4', [
      node('forward', [node('filter', [leaf('default-action', 'drop'), ...forward])]),
      node('input', [node('filter', [leaf('default-action', 'drop'), ...input])]),
    ]),
  ]);
}
