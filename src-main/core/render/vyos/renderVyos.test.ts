import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AddressPlan } from '../../../../src-shared/plan/planAddresses.ts';
import type { OverlayKeys } from '../../pki/keyTypes.ts';
import { nodeAt, optionValues, taggedChildren, type ConfigNode } from '../configTree.ts';
import { VYOS_VERSIONS, type VyosVersion } from '../renderOptions.ts';
import { SAMPLE_TOPOLOGIES, fixtureKeys, samplePlan } from '../fixtureKeys.testkit.ts';
import { checkSetCommands } from '../../vyosCheck/checkReference.ts';
import { splitShellWords } from '../../vyosCheck/parseSetCommands.ts';
import { loadReferenceTree } from '../../vyosCheck/referenceTree.ts';
import { renderConfigBoot } from './renderConfigBoot.ts';
import { renderLeafVyos } from './renderLeafVyos.ts';
import { renderRootVyos } from './renderRootVyos.ts';
import { renderVyosSet } from './renderVyosSet.ts';
import { verifyVyosConfig } from '../../vyosCheck/verifyVyosConfig.ts';

interface Sample {
  name: string;
  plan: AddressPlan;
  keys: OverlayKeys;
}

const samples: Sample[] = await Promise.all([
  ...Object.keys(SAMPLE_TOPOLOGIES).map(async (name) => {
    const plan = samplePlan(name as keyof typeof SAMPLE_TOPOLOGIES);
    return { name, plan, keys: await fixtureKeys(plan) };
  }),
  (async () => {
    const plan = samplePlan('single');
    return { name: 'single-rsa', plan, keys: await fixtureKeys(plan, { keyType: 'rsa-2048' }) };
  })(),
]);

/** Every node's tree, its firewall included (agentPort), which then must be valid too. */
function everyNodeTree(sample: Sample, version: VyosVersion): { node: string; tree: ConfigNode }[] {
  const options = { vyosVersion: version, agentPort: 8443 };
  return sample.plan.roots.flatMap((root) => [
    { node: root.nodeName, tree: renderRootVyos(sample.plan, root.rootId, sample.keys, options) },
    ...root.leaves.map((leaf) => ({ node: leaf.nodeName, tree: renderLeafVyos(sample.plan, leaf.nodeName, sample.keys, options) })),
  ]);
}

/** The one place 1.4 and 1.5 differ in what Raincoat renders. */
const VERSION_SPECIFIC = /encryption (ncp|data)-ciphers/;

describe.each(samples)('VyOS configuration of the $name topology', (sample) => {
  it.each(VYOS_VERSIONS)('every path and value rendered for %s is valid in both reference trees (but the cipher list)', (version) => {
    for (const { node, tree } of everyNodeTree(sample, version)) {
      const set = renderVyosSet(tree);
      expect(checkSetCommands(set, loadReferenceTree(version)), `${node} against ${version}`).toEqual([]);
      const other = version === '1.4' ? '1.5' : '1.4';
      const otherProblems = checkSetCommands(set, loadReferenceTree(other));
      expect(otherProblems.every((p) => VERSION_SPECIFIC.test(p.command)), `${node} against ${other}`).toBe(true);
    }
  });

  it.each(VYOS_VERSIONS)('passes what VyOS %s would verify at commit', (version) => {
    for (const { node, tree } of everyNodeTree(sample, version)) {
      expect(verifyVyosConfig(tree, { vyosVersion: version }), node).toEqual([]);
    }
  });

  it('config.boot holds exactly the set commands', () => {
    for (const { node, tree } of everyNodeTree(sample, '1.4')) {
      expect(setLinesOfConfigBoot(renderConfigBoot(tree)), node).toEqual(wordsOfSet(renderVyosSet(tree)));
    }
  });
});

/** Reads config.boot back into set-command word lists (test-only: braces, quotes, repeated options). */
function setLinesOfConfigBoot(text: string): string[][] {
  const out: string[][] = [];
  const stack: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === '}') {
      const closed = stack.pop()!;
      if (closed.length > 0 && (out.length === 0 || !startsWith(out[out.length - 1]!, closed))) out.push(closed);
      continue;
    }
    const words = bootWords(line.endsWith('{') ? line.slice(0, -1) : line);
    const path = [...(stack[stack.length - 1] ?? []), ...words];
    if (line.endsWith('{')) stack.push(path);
    else out.push(path);
  }
  return out;
}

function startsWith(words: string[], prefix: string[]): boolean {
  return prefix.every((w, i) => words[i] === w);
}

function bootWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return words;
}

function wordsOfSet(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => (splitShellWords(line) as string[]).slice(1));
}

describe('transit through roots', () => {
  const ring = samples.find((s) => s.name === 'ring')!;
  const hub = samples.find((s) => s.name === 'hub')!;
  /** [tunnel N, local prefixes, remote prefixes] of a peer (test-only). */
  const tunnels = (tree: ConfigNode, peer: string) =>
    taggedChildren(nodeAt(tree, ['vpn', 'ipsec', 'site-to-site', ['peer', peer]])!, 'tunnel').map((t) => [
      t.tag,
      optionValues(nodeAt(t, ['local'])!, 'prefix'),
      optionValues(nodeAt(t, ['remote'])!, 'prefix'),
    ]);

  it('a peer gets a tunnel per selector, numbered alike at both ends, local and remote mirrored', () => {
    const one = tunnels(renderRootVyos(ring.plan, 1, ring.keys), 'tunnel-1-2');
    expect(one).toEqual([
      ['1', ['10.1.0.0/16'], ['10.2.0.0/15']],
      ['2', ['10.4.0.0/16'], ['10.2.0.0/16']],
    ]);
    expect(tunnels(renderRootVyos(ring.plan, 2, ring.keys), 'tunnel-1-2')).toEqual(one.map(([n, local, remote]) => [n, remote, local]));
  });

  it("the hub's tunnels carry the spokes to each other", () => {
    expect(tunnels(renderRootVyos(hub.plan, 1, hub.keys), 'tunnel-1-3')).toEqual([['1', ['10.1.0.0/16', '10.2.0.0/16'], ['10.3.0.0/16']]]);
  });

  it('a leaf routes and pushes the overlays its root reaches, an island its own only', () => {
    const routed = (leaf: string) => taggedChildren(nodeAt(renderLeafVyos(hub.plan, leaf, hub.keys), ['protocols', 'static'])!, 'route').map((r) => r.tag);
    const pushed = (leaf: string) =>
      taggedChildren(nodeAt(renderLeafVyos(hub.plan, leaf, hub.keys), ['interfaces', ['openvpn', 'vtun11'], 'server'])!, 'push-route').map((r) => r.tag);
    expect(routed('leaf-2-1')).toEqual(['10.1.0.0/16', '10.2.0.0/15']);
    expect(pushed('leaf-2-1')).toEqual(['10.1.0.0/16', '10.2.0.0/15']);
    expect(routed('leaf-4-1')).toEqual(['10.4.0.0/16']);
    expect(pushed('leaf-4-1')).toEqual(['10.4.0.0/16']);
  });
});

describe('root configuration', () => {
  const mesh = samples.find((s) => s.name === 'mesh')!;
  const pair = samples.find((s) => s.name === 'pair')!;

  it('a root on its own address: IKEv2 PSK peer with its address, ids and both /16s', () => {
    const tree = renderRootVyos(pair.plan, 1, pair.keys);
    const peer = nodeAt(tree, ['vpn', 'ipsec', 'site-to-site', ['peer', 'tunnel-1-2']])!;
    expect(optionValues(peer, 'local-address')).toEqual(['203.0.0.1']);
    expect(optionValues(peer, 'remote-address')).toEqual(['203.0.0.2']);
    expect(optionValues(peer, 'connection-type')).toEqual(['initiate']);
    expect(optionValues(peer, 'ike-group')).toEqual(['raincoat-ike']);
    expect(optionValues(nodeAt(peer, ['authentication'])!, 'mode')).toEqual(['pre-shared-secret']);
    expect(optionValues(nodeAt(peer, ['authentication'])!, 'local-id')).toEqual(['203.0.0.1']);
    expect(optionValues(nodeAt(peer, ['authentication'])!, 'remote-id')).toEqual(['203.0.0.2']);
    expect(optionValues(nodeAt(peer, [['tunnel', '1'], 'local'])!, 'prefix')).toEqual(['10.1.0.0/16']);
    expect(optionValues(nodeAt(peer, [['tunnel', '1'], 'remote'])!, 'prefix')).toEqual(['10.2.0.0/16']);
    const psk = nodeAt(tree, ['vpn', 'ipsec', 'authentication', ['psk', 'tunnel-1-2']])!;
    expect(optionValues(psk, 'secret')).toEqual([pair.keys.tunnels['tunnel-1-2']!.psk]);
    expect(optionValues(psk, 'id')).toEqual(['203.0.0.1', '203.0.0.2']);
    const ike = nodeAt(tree, ['vpn', 'ipsec', ['ike-group', 'raincoat-ike']])!;
    expect(optionValues(ike, 'key-exchange')).toEqual(['ikev2']);
    expect(optionValues(nodeAt(ike, [['proposal', '1']])!, 'encryption')).toEqual(['aes256gcm128']);
    expect(optionValues(nodeAt(ike, [['proposal', '1']])!, 'dh-group')).toEqual(['19']);
  });

  // VyOS would refuse the commit if the interface did not exist, and limit IKE to it if it did (vpn_ipsec.py verify, interfaces_use).
  it('names no IPsec interface, since every peer has a local address', () => {
    for (const root of [1, 2]) {
      const tree = renderRootVyos(pair.plan, root, pair.keys);
      expect(optionValues(nodeAt(tree, ['vpn', 'ipsec'])!, 'interface')).toBeUndefined();
      for (const peer of taggedChildren(nodeAt(tree, ['vpn', 'ipsec', 'site-to-site'])!, 'peer')) expect(optionValues(peer, 'local-address')).toHaveLength(1);
      expect(renderVyosSet(tree)).not.toMatch(/^set vpn ipsec interface/m);
    }
  });

  it('a NATed root binds IKE to any address and keeps its internet address as identity', () => {
    const tree = renderRootVyos(pair.plan, 2, pair.keys);
    const peer = nodeAt(tree, ['vpn', 'ipsec', 'site-to-site', ['peer', 'tunnel-1-2']])!;
    expect(optionValues(peer, 'local-address')).toEqual(['any']);
    expect(optionValues(nodeAt(peer, ['authentication'])!, 'local-id')).toEqual(['203.0.0.2']);
  });

  // Whichever end loads last must bring the tunnel up, so both start it; only the lower id rebuilds it after a dead peer.
  it.each([
    { root: 3, groups: { 'tunnel-3-7': 'raincoat-ike', 'tunnel-3-12': 'raincoat-ike' } },
    { root: 7, groups: { 'tunnel-3-7': 'raincoat-ike-answer', 'tunnel-7-12': 'raincoat-ike' } },
    { root: 12, groups: { 'tunnel-3-12': 'raincoat-ike-answer', 'tunnel-7-12': 'raincoat-ike-answer' } },
  ])('root $root of the mesh starts every tunnel as it loads it, each in the IKE group of its role, and has only those groups', ({ root, groups }) => {
    const ipsec = nodeAt(renderRootVyos(mesh.plan, root, mesh.keys), ['vpn', 'ipsec'])!;
    const peers = taggedChildren(nodeAt(ipsec, ['site-to-site'])!, 'peer');
    expect(Object.fromEntries(peers.map((p) => [p.tag, optionValues(p, 'ike-group')![0]]))).toEqual(groups);
    for (const peer of peers) expect(optionValues(peer, 'connection-type')).toEqual(['initiate']);
    expect(taggedChildren(ipsec, 'ike-group').map((g) => g.tag).sort()).toEqual([...new Set(Object.values(groups))].sort());
  });

  it.each([
    { group: 'raincoat-ike', dpd: 'restart' },
    { group: 'raincoat-ike-answer', dpd: 'clear' },
  ])('IKE group $group: dead peer → $dpd, and no restart on the peer’s DELETE', ({ group, dpd }) => {
    const ike = nodeAt(renderRootVyos(mesh.plan, 7, mesh.keys), ['vpn', 'ipsec', ['ike-group', group]])!;
    expect(optionValues(nodeAt(ike, ['dead-peer-detection'])!, 'action')).toEqual([dpd]);
    expect(optionValues(ike, 'close-action')).toEqual(['none']);
    expect(optionValues(ike, 'key-exchange')).toEqual(['ikev2']);
    expect(taggedChildren(ike, 'proposal')).toHaveLength(2);
  });

  it('a NATed root with a known private address binds to it, and deploy-time addresses override', () => {
    const tree = renderRootVyos(pair.plan, 2, pair.keys, { localAddresses: { 'root-2': '172.31.5.9' }, addresses: { 'root-1': '198.51.100.1' } });
    const peer = nodeAt(tree, ['vpn', 'ipsec', 'site-to-site', ['peer', 'tunnel-1-2']])!;
    expect(optionValues(peer, 'local-address')).toEqual(['172.31.5.9']);
    expect(optionValues(peer, 'remote-address')).toEqual(['198.51.100.1']);
    expect(optionValues(nodeAt(peer, ['authentication'])!, 'remote-id')).toEqual(['198.51.100.1']);
  });

  it('one peer per tunnel of the root, none for the others; no vpn node without tunnels', () => {
    const tree = renderRootVyos(mesh.plan, 7, mesh.keys);
    expect(taggedChildren(nodeAt(tree, ['vpn', 'ipsec', 'site-to-site'])!, 'peer').map((p) => p.tag)).toEqual(['tunnel-3-7', 'tunnel-7-12']);
    const single = samples.find((s) => s.name === 'single')!;
    expect(nodeAt(renderRootVyos(single.plan, 1, single.keys), ['vpn'])).toBeUndefined();
  });

  it('the uplink server pins each leaf by its certificate name and routes its client subnet to it', () => {
    const root = mesh.plan.roots.find((r) => r.rootId === 12)!;
    const tree = renderRootVyos(mesh.plan, 12, mesh.keys);
    const vtun = nodeAt(tree, ['interfaces', ['openvpn', 'vtun10']])!;
    expect(optionValues(vtun, 'mode')).toEqual(['server']);
    const server = nodeAt(vtun, ['server'])!;
    expect(optionValues(server, 'subnet')).toEqual([root.uplinkSubnet]);
    expect(optionValues(server, 'reject-unconfigured-clients')).toEqual([]);
    expect(taggedChildren(server, 'client').map((c) => [c.tag, optionValues(c, 'ip')![0], optionValues(c, 'subnet')![0]])).toEqual(
      root.leaves.map((l) => [l.nodeName, l.uplinkAddress, l.clientSubnet]),
    );
    const routes = taggedChildren(nodeAt(tree, ['protocols', 'static'])!, 'route');
    expect(routes.map((r) => r.tag)).toEqual([root.overlay, ...root.leaves.map((l) => l.clientSubnet)]);
    expect(optionValues(nodeAt(routes[0]!, ['blackhole'])!, 'distance')).toEqual(['254']);
    expect(taggedChildren(routes[1]!, 'next-hop').map((n) => n.tag)).toEqual([root.leaves[0]!.uplinkAddress]);
  });

  it('pki holds the CA certificate and CRL, the server certificate with its PKCS#8 key, and the uplink tls-crypt key alone', () => {
    const tree = renderRootVyos(pair.plan, 1, pair.keys);
    const rootKeys = pair.keys.roots['1']!;
    const ca = nodeAt(tree, ['pki', ['ca', 'raincoat-ca']])!;
    expect(optionValues(ca, 'certificate')).toEqual([new X509Certificate(rootKeys.openvpnCa.certPem).raw.toString('base64')]);
    expect(optionValues(ca, 'crl')).toHaveLength(1);
    expect(nodeAt(ca, ['private'])).toBeUndefined();
    const cert = nodeAt(tree, ['pki', ['certificate', 'raincoat-uplink-server']])!;
    const keyDer = Buffer.from(optionValues(nodeAt(cert, ['private'])!, 'key')![0]!, 'base64');
    const key = createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' });
    expect(new X509Certificate(rootKeys.uplinkServer.certPem).checkPrivateKey(key)).toBe(true);
    const secret = nodeAt(tree, ['pki', 'openvpn', ['shared-secret', 'raincoat-uplink-tls-crypt']])!;
    expect(optionValues(secret, 'key')![0]).toMatch(/^[0-9a-f]{512}$/);
    expect(rootKeys.uplinkTlsCrypt.replace(/\s+/g, '')).toContain(optionValues(secret, 'key')![0]);
    expect(nodeAt(tree, ['pki', 'openvpn'])!.children).toHaveLength(1);
    expect(optionValues(nodeAt(tree, ['interfaces', ['openvpn', 'vtun10'], 'tls'])!, 'crypt-key')).toEqual(['raincoat-uplink-tls-crypt']);
  });

  it("a leaf's uplink and client server use different tls-crypt keys, the uplink's the root's", () => {
    const tree = renderLeafVyos(pair.plan, 'leaf-1-1', pair.keys);
    const rootKeys = pair.keys.roots['1']!;
    const cryptKey = (ifname: string) => optionValues(nodeAt(tree, ['interfaces', ['openvpn', ifname], 'tls'])!, 'crypt-key');
    expect(cryptKey('vtun10')).toEqual(['raincoat-uplink-tls-crypt']);
    expect(cryptKey('vtun11')).toEqual(['raincoat-client-tls-crypt']);
    const keyOf = (name: string) => optionValues(nodeAt(tree, ['pki', 'openvpn', ['shared-secret', name]])!, 'key')![0]!;
    expect(rootKeys.uplinkTlsCrypt.replace(/\s+/g, '')).toContain(keyOf('raincoat-uplink-tls-crypt'));
    expect(rootKeys.clientTlsCrypt.replace(/\s+/g, '')).toContain(keyOf('raincoat-client-tls-crypt'));
    expect(keyOf('raincoat-uplink-tls-crypt')).not.toBe(keyOf('raincoat-client-tls-crypt'));
  });

  it('RSA server keys come with RFC 7919 DH parameters; EC keys without', () => {
    const rsa = samples.find((s) => s.name === 'single-rsa')!;
    const rsaTree = renderRootVyos(rsa.plan, 1, rsa.keys);
    expect(optionValues(nodeAt(rsaTree, ['interfaces', ['openvpn', 'vtun10'], 'tls'])!, 'dh-params')).toEqual(['raincoat-ffdhe2048']);
    expect(nodeAt(rsaTree, ['pki', ['dh', 'raincoat-ffdhe2048']])).toBeDefined();
    expect(nodeAt(renderRootVyos(pair.plan, 1, pair.keys), ['pki', ['dh', 'raincoat-ffdhe2048']])).toBeUndefined();
  });
});

describe('leaf configuration', () => {
  const mesh = samples.find((s) => s.name === 'mesh')!;

  it('uplinks to its root, pins the root certificate, routes and pushes every overlay', () => {
    const tree = renderLeafVyos(mesh.plan, 'leaf-7-3', mesh.keys, { vyosVersion: '1.5' });
    const root = mesh.plan.roots.find((r) => r.rootId === 7)!;
    const leaf = root.leaves[2]!;
    const uplink = nodeAt(tree, ['interfaces', ['openvpn', 'vtun10']])!;
    expect(optionValues(uplink, 'mode')).toEqual(['client']);
    expect(optionValues(uplink, 'remote-host')).toEqual([root.internetAddress]);
    expect(optionValues(uplink, 'openvpn-option')).toEqual(['remote-cert-tls server', 'verify-x509-name root-7 name']);
    expect(optionValues(nodeAt(uplink, ['encryption'])!, 'data-ciphers')).toEqual(['aes256gcm']);
    const clients = nodeAt(tree, ['interfaces', ['openvpn', 'vtun11']])!;
    expect(optionValues(nodeAt(clients, ['server'])!, 'subnet')).toEqual([leaf.clientSubnet]);
    expect(taggedChildren(nodeAt(clients, ['server'])!, 'push-route').map((p) => p.tag)).toEqual(['10.3.0.0/16', '10.7.0.0/16', '10.12.0.0/16']);
    const routes = taggedChildren(nodeAt(tree, ['protocols', 'static'])!, 'route');
    expect(routes.map((r) => [r.tag, taggedChildren(r, 'next-hop')[0]!.tag])).toEqual([
      ['10.3.0.0/16', root.uplinkServerAddress],
      ['10.7.0.0/16', root.uplinkServerAddress],
      ['10.12.0.0/16', root.uplinkServerAddress],
    ]);
    expect(taggedChildren(nodeAt(tree, ['pki'])!, 'certificate').map((c) => c.tag)).toEqual(['raincoat-uplink-client', 'raincoat-client-server']);
  });

  it('renders 1.4 cipher lists as ncp-ciphers', () => {
    const tree = renderLeafVyos(mesh.plan, 'leaf-3-1', mesh.keys, { vyosVersion: '1.4' });
    expect(optionValues(nodeAt(tree, ['interfaces', ['openvpn', 'vtun10'], 'encryption'])!, 'ncp-ciphers')).toEqual(['aes256gcm']);
  });

  it('quotes a root name with quotes and # in descriptions, and VyOS reads it back', () => {
    const set = renderVyosSet(renderLeafVyos(mesh.plan, 'leaf-3-1', mesh.keys));
    expect(set).toContain(`description 'Raincoat leaf-3-1: uplink to root-3 (Lab "east" #3)'`);
    expect(set).toContain("set interfaces openvpn vtun10 remote-host '203.0.0.3'\n");
    expect(renderConfigBoot(renderLeafVyos(mesh.plan, 'leaf-3-1', mesh.keys))).toContain(
      'description "Raincoat leaf-3-1: uplink to root-3 (Lab \\"east\\" #3)"',
    );
  });

  it('is deterministic: the same inputs give the same text', () => {
    const a = renderVyosSet(renderLeafVyos(mesh.plan, 'leaf-12-2', mesh.keys));
    expect(renderVyosSet(renderLeafVyos(mesh.plan, 'leaf-12-2', mesh.keys))).toBe(a);
  });
});
