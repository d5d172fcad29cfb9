// Raincoat's firewall network groups in a VyOS config.boot: deleted before each apply along with its filters, since a
// `set` adds to a group's networks instead of replacing them, and a group no rule names any more must go. Pure.
import { VYOS_FIREWALL_GROUP_PREFIX } from '../../src-shared/protocol/nodeFirewall.ts';

const escaped = VYOS_FIREWALL_GROUP_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A group's opening line (`network-group raincoat-net-1 {`); a rule naming it (`network-group raincoat-net-1`) has no brace. */
const GROUP = new RegExp(`^\\s*network-group (${escaped}\\d+) \\{$`, 'gm');

/** `delete` paths of every Raincoat network group `configBoot` holds, in order. */
export function ownedFirewallGroups(configBoot: string): string[] {
  return [...new Set([...configBoot.matchAll(GROUP)].map((m) => `firewall group network-group ${m[1]}`))];
}
