import { describe, expect, it } from 'vitest';
import { ownedFirewallGroups } from './vyosFirewallGroups.ts';

const CONFIG_BOOT = `firewall {
    group {
        network-group lan {
            network "192.168.0.0/24"
        }
        network-group raincoat-net-1 {
            network "10.1.0.0/16"
        }
        network-group raincoat-net-2 {
            network "10.2.0.0/15"
        }
    }
    ipv4 {
        forward {
            filter {
                rule 10 {
                    destination {
                        group {
                            network-group raincoat-net-2
                        }
                    }
                }
            }
        }
    }
}
`;

describe('ownedFirewallGroups', () => {
  it.each([
    ["Raincoat's groups, not the administrator's, nor a rule naming one", CONFIG_BOOT, ['firewall group network-group raincoat-net-1', 'firewall group network-group raincoat-net-2']],
    ['none on a router Raincoat never walled', 'interfaces {\n    ethernet eth0 {\n    }\n}\n', []],
    ['none that only looks like one', '        network-group raincoat-net-x {\n', []],
  ])('%s', (_, configBoot, groups) => {
    expect(ownedFirewallGroups(configBoot)).toEqual(groups);
  });
});
