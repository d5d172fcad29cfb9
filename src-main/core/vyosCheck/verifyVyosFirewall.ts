// What VyOS's commit-time verify() of the firewall (firewall.py, 1.4 and 1.5 alike for these) would refuse in the ipv4
// input and forward filters: a rule without action, ports without tcp/udp, groups that do not exist, contradictions.
import { childNode, nodeAt, optionValues, taggedChildren, type ConfigNode } from '../render/configTree.ts';

type Report = (path: string, message: string) => void;

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'tcp_udp']);
const GROUP_KINDS = ['address-group', 'network-group', 'port-group', 'domain-group', 'mac-group'] as const;

export function verifyFirewall(tree: ConfigNode, report: Report): void {
  const firewall = childNode(tree, 'firewall');
  if (!firewall) return;
  const groups = childNode(firewall, 'group');
  const groupExists = (kind: string, name: string) => groups !== undefined && childNode(groups, kind, name.replace(/^!/, '')) !== undefined;
  for (const hook of ['input', 'forward'] as const) {
    const filter = nodeAt(firewall, ['ipv4', hook, 'filter']);
    for (const rule of filter ? taggedChildren(filter, 'rule') : []) {
      const at = `firewall ipv4 ${hook} filter rule ${rule.tag}`;
      if (optionValues(rule, 'action') === undefined) report(at, 'Rule action must be defined');
      const protocol = optionValues(rule, 'protocol')?.[0];
      for (const side of ['source', 'destination'] as const) {
        const sideNode = childNode(rule, side);
        if (!sideNode) continue;
        const sideGroups = childNode(sideNode, 'group');
        if (optionValues(sideNode, 'port') !== undefined || (sideGroups && optionValues(sideGroups, 'port-group') !== undefined)) {
          if (protocol === undefined) report(at, 'Protocol must be defined if specifying a port or port-group');
          else if (!PORT_PROTOCOLS.has(protocol)) report(at, 'Protocol must be tcp, udp, or tcp_udp when specifying a port or port-group');
        }
        for (const kind of GROUP_KINDS) {
          const name = sideGroups ? optionValues(sideGroups, kind)?.[0] : undefined;
          if (name === undefined) continue;
          if (kind !== 'port-group' && kind !== 'mac-group') {
            const also = ['address', 'fqdn', 'geoip'].find((type) => optionValues(sideNode, type) !== undefined || childNode(sideNode, type) !== undefined);
            if (also) report(at, `${kind} and ${also} cannot both be defined`);
          }
          if (!groupExists(kind, name)) report(at, `Invalid ${kind} "${name.replace(/^!/, '')}" on firewall rule`);
        }
      }
      const ipsec = childNode(rule, 'ipsec');
      if (ipsec && optionValues(ipsec, 'match-ipsec') !== undefined && optionValues(ipsec, 'match-none') !== undefined) {
        report(at, 'Cannot specify both "match-ipsec" and "match-none"');
      }
      const inbound = childNode(rule, 'inbound-interface');
      if (inbound && optionValues(inbound, 'name') !== undefined && optionValues(inbound, 'group') !== undefined) {
        report(at, 'Cannot specify both interface group and interface name for inbound-interface');
      }
    }
  }
}
