import { describe, expect, it } from 'vitest';
import { checkVyosConfig } from '../../vyosCheck/checkVyosConfig.ts';
import { rootFirewallPolicy, leafFirewallPolicy } from '../firewallPolicy.ts';
import { isVyosCommandLine } from '../../../../src-shared/protocol/deployPackage.ts';
import { VYOS_FIREWALL_GROUP_PREFIX, VYOS_FIREWALL_SUBTREES } from '../../../../src-shared/protocol/nodeFirewall.ts';
import { fixtureKeys, samplePlan } from '../fixtureKeys.testkit.ts';
import { VYOS_VERSIONS } from '../renderOptions.ts';
import { renderLeafVyos } from './renderLeafVyos.ts';
import { renderRootVyos } from './renderRootVyos.ts';
import { renderVyosSet } from './renderVyosSet.ts';
import { vyosFirewall } from './vyosFirewall.ts';
import { configTree } from '../configTree.ts';

const ring = samplePlan('ring');
const setLines = (policy: ReturnType<typeof rootFirewallPolicy>, interfaces: string[]) => renderVyosSet(configTree([vyosFirewall(policy, interfaces)])).trimEnd().split('\n');

describe('vyosFirewall', () => {
  it("drops what its input rules do not accept: replies, the node, the overlay's side, IPsec, then a root's IKE, ESP, OpenVPN and the agent", () => {
    const lines = setLines(rootFirewallPolicy(ring, 1, 8443), ['vtun10']);
    expect(lines).toContain("set firewall ipv4 input filter default-action 'drop'");
    expect(lines.filter((l) => / input filter rule \d+ description /.test(l)).map((l) => /description '(.*)'$/.exec(l)![1])).toEqual([
      'replies',
      'the node itself',
      'the overlay side',
      'decrypted by IPsec',
      'IKE, and ESP in UDP',
      'ESP',
      'OpenVPN',
      'the agent',
    ]);
    expect(lines).toEqual(expect.arrayContaining(["set firewall ipv4 input filter rule 50 destination port '500,4500'", "set firewall ipv4 input filter rule 80 destination port '8443'"]));
  });

  it('a leaf opens no IKE or ESP, and takes both its OpenVPN devices as the overlay side', () => {
    const lines = setLines(leafFirewallPolicy(ring, 'leaf-1-1', 8443, {}), ['vtun10', 'vtun11']);
    expect(lines.join('\n')).not.toMatch(/500,4500|protocol 'esp'/);
    expect(lines).toEqual(expect.arrayContaining(["set firewall ipv4 input filter rule 70 source address '203.0.0.1'", "set firewall ipv4 input filter rule 70 source port '1194'"]));
    expect(lines.filter((l) => l.includes('inbound-interface name'))).toEqual([
      "set firewall ipv4 input filter rule 20 inbound-interface name 'lo'",
      "set firewall ipv4 input filter rule 30 inbound-interface name 'vtun10'",
      "set firewall ipv4 input filter rule 40 inbound-interface name 'vtun11'",
    ]);
  });

  it('forwards exactly the policy, each prefix list one network group', () => {
    const policy = rootFirewallPolicy(ring, 1, 8443);
    const lines = setLines(policy, ['vtun10']);
    expect(lines.filter((l) => / forward filter rule \d+ action 'accept'/.test(l))).toHaveLength(policy.forward.length);
    expect(lines).toContain("set firewall ipv4 forward filter default-action 'drop'");
    const groups = new Map<string, string[]>();
    for (const l of lines) {
      const m = /^set firewall group network-group (\S+) network '(.+)'$/.exec(l);
      if (m) groups.set(m[1]!, [...(groups.get(m[1]!) ?? []), m[2]!]);
    }
    expect([...groups.values()].map((g) => g.join(' '))).toEqual(['10.1.0.0/16', '10.2.0.0/15', '10.4.0.0/16', '10.2.0.0/16', '10.1.0.0/16 10.2.0.0/16']);
  });

  it.each(VYOS_VERSIONS)('VyOS %s would commit it', (version) => {
    for (const policy of [rootFirewallPolicy(ring, 2, 8443), leafFirewallPolicy(ring, 'leaf-3-1', 443, { addresses: { 'root-3': '198.51.100.3' } })]) {
      expect(checkVyosConfig(renderVyosSet(configTree([vyosFirewall(policy, ['vtun10', 'vtun11'])])), version)).toEqual([]);
    }
  });
});

describe("a node's firewall as the vyos backend replaces it", () => {
  it.each(VYOS_VERSIONS)('VyOS %s: every firewall line lies in a subtree the agent deletes first, or in a Raincoat network group; the agent port is open', async (version) => {
    const keys = await fixtureKeys(ring);
    const agentPort = { 'root-2': 7443, 'leaf-3-1': 7444 };
    const owned = [...VYOS_FIREWALL_SUBTREES.map((subtree) => `set ${subtree} `), `set firewall group network-group ${VYOS_FIREWALL_GROUP_PREFIX}`];
    for (const [node, tree] of [
      ['root-2', renderRootVyos(ring, 2, keys, { vyosVersion: version, agentPort })],
      ['leaf-3-1', renderLeafVyos(ring, 'leaf-3-1', keys, { vyosVersion: version, agentPort })],
    ] as const) {
      const set = renderVyosSet(tree);
      expect(checkVyosConfig(set, version), node).toEqual([]);
      const firewall = set.split('\n').filter((line) => line.startsWith('set firewall '));
      expect(firewall.filter((line) => !owned.some((prefix) => line.startsWith(prefix))), node).toEqual([]);
      const agentRule = firewall.find((line) => line.endsWith(` destination port '${agentPort[node]}'`));
      expect(agentRule, node).toMatch(/^set firewall ipv4 input filter rule \d+ /);
    }
  });
});

describe('vyosFirewall lines in a deploy package', () => {
  it('are lines a package takes (no quote inside a quoted word)', () => {
    const policies = [rootFirewallPolicy(ring, 2, 8443), leafFirewallPolicy(ring, 'leaf-3-1', 443, { addresses: { 'root-3': '198.51.100.3' } })];
    for (const policy of policies) expect(setLines(policy, ['vtun10', 'vtun11']).filter((line) => !isVyosCommandLine(line))).toEqual([]);
  });
});
