import { describe, expect, it } from 'vitest';
import { fixtureKeys, SAMPLE_TOPOLOGIES, samplePlan } from '../fixtureKeys.testkit.ts';
import { renderLeafFiles, renderRootFiles } from '../renderNodeFiles.ts';
import { renderLeafNftables, renderRootNftables } from './renderNftables.ts';

const rules = (text: string, chain: 'input' | 'forward') => {
  const body = new RegExp(`chain ${chain} \\{\\n([\\s\\S]*?)\\n  \\}`).exec(text)![1]!;
  return body.split('\n').map((l) => l.trim()).slice(1);
};

describe('renderRootNftables: forwarding along the drawn paths', () => {
  it.each([
    // Ring 1-2-3-4-1: root 1 carries 1↔2, 1↔3 (via 2, as 10.2.0.0/15), 2↔4 (transit) and 1,2↔4.
    [
      'ring, root 1',
      'ring',
      1,
      [
        'ip saddr 10.1.0.0/16 ip daddr 10.1.0.0/16 accept',
        'ip saddr 10.1.0.0/16 ip daddr 10.2.0.0/15 accept',
        'ip saddr 10.2.0.0/15 ip daddr 10.1.0.0/16 accept',
        'ip saddr 10.4.0.0/16 ip daddr 10.2.0.0/16 accept',
        'ip saddr 10.2.0.0/16 ip daddr 10.4.0.0/16 accept',
        'ip saddr { 10.1.0.0/16, 10.2.0.0/16 } ip daddr 10.4.0.0/16 accept',
        'ip saddr 10.4.0.0/16 ip daddr { 10.1.0.0/16, 10.2.0.0/16 } accept',
      ],
    ],
    // Hub 1 with spokes 2 and 3: the hub forwards spoke to spoke; spoke 2 only its own traffic.
    [
      'hub',
      'hub',
      1,
      [
        'ip saddr 10.1.0.0/16 ip daddr 10.1.0.0/16 accept',
        'ip saddr { 10.1.0.0/16, 10.3.0.0/16 } ip daddr 10.2.0.0/16 accept',
        'ip saddr 10.2.0.0/16 ip daddr { 10.1.0.0/16, 10.3.0.0/16 } accept',
        'ip saddr { 10.1.0.0/16, 10.2.0.0/16 } ip daddr 10.3.0.0/16 accept',
        'ip saddr 10.3.0.0/16 ip daddr { 10.1.0.0/16, 10.2.0.0/16 } accept',
      ],
    ],
    ['an island: its own overlay only', 'hub', 4, ['ip saddr 10.4.0.0/16 ip daddr 10.4.0.0/16 accept']],
  ] as const)('%s', (_, sample, rootId, expected) => {
    expect(rules(renderRootNftables(samplePlan(sample), rootId, 8443), 'forward')).toEqual(expected);
  });

  it('lets in from the internet only IKE, ESP, OpenVPN and the agent, besides the overlay side and replies', () => {
    expect(rules(renderRootNftables(samplePlan('pair'), 1, 8443), 'input')).toEqual([
      'iif "lo" accept',
      'ct state established,related accept',
      'ct state invalid drop',
      'iifname { "rc-uplink", "rc-clients", "ipsec0" } accept comment "the overlay\'s side"',
      'meta ipsec exists accept comment "decrypted by kernel ESP"',
      'udp dport { 500, 4500 } accept comment "IKE, and ESP in UDP"',
      'meta l4proto esp accept',
      'udp dport 1194 accept comment "OpenVPN"',
      'tcp dport 8443 accept comment "the agent"',
      'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept',
    ]);
  });

  it('replaces only its own table, whole, at every load, dropping what the rules do not accept', () => {
    const text = renderRootNftables(samplePlan('pair'), 1, 8443);
    expect(text.split('\n').slice(1, 4)).toEqual(['table inet raincoat', 'delete table inet raincoat', 'table inet raincoat {']);
    expect(text.match(/policy drop;/g)).toHaveLength(2);
  });
});

describe('renderLeafNftables', () => {
  it('forwards between its client VMs and the overlays its root reaches, and opens no IKE', () => {
    const text = renderLeafNftables(samplePlan('hub'), 'leaf-2-1', 8443, { addresses: { 'root-2': '198.51.100.2' } });
    // Its uplink hears its root even on a flow conntrack has not seen leave (the firewall loaded while the uplink runs).
    expect(rules(text, 'input')).toContain('ip saddr 198.51.100.2 udp sport 1194 accept comment "its root\'s uplink server"');
    expect(rules(text, 'forward')).toEqual([
      'ip saddr 10.2.4.0/25 ip daddr { 10.1.0.0/16, 10.2.0.0/15 } accept',
      'ip saddr { 10.1.0.0/16, 10.2.0.0/15 } ip daddr 10.2.4.0/25 accept',
    ]);
    expect(text).not.toContain('dport { 500, 4500 }');
    expect(text).not.toContain('esp');
  });
});

const pair = samplePlan('pair');
const pairKeys = await fixtureKeys(pair);

describe('firewall.nft among the node files', () => {
  it.each([
    ['with the agent port', { agentPort: 8443 }, 1],
    ['without', {}, 0],
  ])('%s: %i', (_, options, count) => {
    for (const files of [renderRootFiles(pair, 1, pairKeys, options), renderLeafFiles(pair, 'leaf-1-1', pairKeys, options)]) {
      expect(files.filter((f) => f.path === 'firewall.nft').map((f) => f.mode)).toEqual(Array(count).fill(0o644));
    }
  });
});

describe("the agent's port, open on every node whatever the topology", () => {
  // A firewall that shut the agent out would leave the deploy that loaded it unconfirmable, and the node unreachable.
  it.each(Object.keys(SAMPLE_TOPOLOGIES))('%s: each node its own agent port, accepted before anything is dropped but invalid packets', async (sample) => {
    const plan = samplePlan(sample);
    const nodes = plan.roots.flatMap((r) => [r.nodeName, ...r.leaves.map((l) => l.nodeName)]);
    const agentPort = Object.fromEntries(nodes.map((node, i) => [node, 7000 + i]));
    const keys = await fixtureKeys(plan);
    for (const root of plan.roots) {
      const byNode: Array<[string, ReturnType<typeof renderRootFiles>]> = [
        [root.nodeName, renderRootFiles(plan, root.rootId, keys, { agentPort })],
        ...root.leaves.map((l): [string, ReturnType<typeof renderRootFiles>] => [l.nodeName, renderLeafFiles(plan, l.nodeName, keys, { agentPort })]),
      ];
      for (const [node, files] of byNode) {
        const input = rules(files.find((f) => f.path === 'firewall.nft')!.content, 'input');
        expect(input, node).toContain(`tcp dport ${agentPort[node]} accept comment "the agent"`);
        expect(input.filter((rule) => !/ accept( comment .*)?$/.test(rule)), node).toEqual(['ct state invalid drop']);
      }
    }
  });

  it('gives no firewall to a node the ports leave out', () => {
    const files = renderLeafFiles(pair, 'leaf-1-1', pairKeys, { agentPort: { 'root-1': 7443 } });
    expect(files.map((f) => f.path)).not.toContain('firewall.nft');
    expect(renderRootFiles(pair, 1, pairKeys, { agentPort: { 'root-1': 7443 } }).find((f) => f.path === 'firewall.nft')?.content).toContain('tcp dport 7443 accept');
  });
});
