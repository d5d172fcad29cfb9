// One-to-one NAT in a lab router, as a cloud's elastic IP works: nftables DNAT of the public address, SNAT back to it.
import type { Host } from './host.ts';
import { binary } from './run.ts';

export interface OneToOneNat {
  /** The address the internet sees; the router carries it on its outside interface and answers ARP for it. */
  publicAddress: string;
  /** The address on the box behind the router. */
  privateAddress: string;
}

/** The nftables ruleset of one or more one-to-one mappings (table `ip lab_nat`, replaced whole when loaded again). */
export function renderOneToOneNat(mappings: readonly OneToOneNat[]): string {
  const dnat = mappings.map((m) => `    ip daddr ${m.publicAddress} dnat to ${m.privateAddress}`);
  const snat = mappings.map((m) => `    ip saddr ${m.privateAddress} snat to ${m.publicAddress}`);
  return [
    'table ip lab_nat',
    'delete table ip lab_nat',
    'table ip lab_nat {',
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    ...dnat,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    ...snat,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Loads the mappings into `router`'s namespace (`nft -f -`) and turns forwarding on. The ruleset goes away with the
 * namespace; the test puts the public address on the router's outside interface itself (`lab.link`).
 */
export async function addOneToOneNat(router: Host, mappings: readonly OneToOneNat[]): Promise<void> {
  await router.exec([binary('nft'), '-f', '-'], { input: renderOneToOneNat(mappings) });
  await router.setForwarding(true);
}
