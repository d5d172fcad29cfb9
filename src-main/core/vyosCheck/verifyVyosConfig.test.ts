import { describe, expect, it } from 'vitest';
import { append, leaf, nodeAt, tagNode, type ConfigNode } from '../render/configTree.ts';
import { fixtureKeys, samplePlan } from '../render/fixtureKeys.testkit.ts';
import { privateKeyBase64 } from '../render/keyMaterial.ts';
import { renderLeafVyos } from '../render/vyos/renderLeafVyos.ts';
import { renderRootVyos } from '../render/vyos/renderRootVyos.ts';
import { verifyVyosConfig } from './verifyVyosConfig.ts';
import { generateKeyPairSync } from 'node:crypto';

const plan = samplePlan('pair');
const keys = await fixtureKeys(plan);
const rootTree = () => renderRootVyos(plan, 1, keys);
const leafTree = () => renderLeafVyos(plan, 'leaf-1-1', keys);
const walledRoot = () => renderRootVyos(plan, 1, keys, { agentPort: 8443 });
const walledLeaf = () => renderLeafVyos(plan, 'leaf-1-1', keys, { agentPort: 8443 });

type Step = string | readonly [string, string];

/** Removes the entry named `title` (with `tag`, for a tag node) under the node at `path`. */
function remove(tree: ConfigNode, path: readonly Step[], title: string, tag?: string): void {
  const parent = nodeAt(tree, path);
  if (!parent) throw new Error(`no node at ${JSON.stringify(path)}`);
  const at = parent.children.findIndex((c) => c.title === title && (c.kind === 'option' || c.tag === tag));
  if (at < 0) throw new Error(`no ${title} ${tag ?? ''} under ${JSON.stringify(path)}`);
  parent.children.splice(at, 1);
}

function set(tree: ConfigNode, path: readonly Step[], title: string, values: string | string[] = []): void {
  const parent = nodeAt(tree, path);
  if (!parent) throw new Error(`no node at ${JSON.stringify(path)}`);
  append(parent, leaf(title, values));
}

const PEER = ['vpn', 'ipsec', 'site-to-site', ['peer', 'tunnel-1-2']] as const;
const UPLINK = ['interfaces', ['openvpn', 'vtun10']] as const;
const FW_IN = ['firewall', 'ipv4', 'input', 'filter'] as const;
const FW_FWD = ['firewall', 'ipv4', 'forward', 'filter'] as const;
/** The root's input rules: 10 replies, 20 lo, 30 vtun10, 40 IPsec, 50 IKE, 60 ESP, 70 OpenVPN, 80 the agent. */
const inRule = (n: number) => [...FW_IN, ['rule', String(n)]] as const;
const rsaKey = privateKeyBase64(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

const RULES: [string, () => ConfigNode, (t: ConfigNode) => void, RegExp][] = [
  ['psk without secret', rootTree, (t) => remove(t, ['vpn', 'ipsec', 'authentication', ['psk', 'tunnel-1-2']], 'secret'), /Authentication psk "tunnel-1-2" missing "id" or "secret"/],
  ['psk whose ids do not match the peer', rootTree, (t) => set(t, ['vpn', 'ipsec', 'authentication', ['psk', 'tunnel-1-2']], 'id', ['192.0.2.77']), /No authentication psk with id "203.0.0.1" and id "203.0.0.2"/],
  ['no psk at all', rootTree, (t) => remove(t, ['vpn', 'ipsec', 'authentication'], 'psk', 'tunnel-1-2'), /No authentication psk/],
  ['ike-group missing on the peer', rootTree, (t) => remove(t, PEER, 'ike-group'), /Missing ike-group on site-to-site peer tunnel-1-2/],
  ['ike-group not defined', rootTree, (t) => remove(t, ['vpn', 'ipsec'], 'ike-group', 'raincoat-ike'), /Invalid ike-group on site-to-site peer tunnel-1-2/],
  ['esp-group not defined', rootTree, (t) => remove(t, ['vpn', 'ipsec'], 'esp-group', 'raincoat-esp'), /Invalid esp-group on site-to-site peer tunnel-1-2/],
  ['no esp-group for a tunnel', rootTree, (t) => remove(t, PEER, 'default-esp-group'), /Missing esp-group on tunnel 1 for site-to-site peer tunnel-1-2/],
  ['ike-group without proposals', rootTree, (t) => { remove(t, ['vpn', 'ipsec', ['ike-group', 'raincoat-ike']], 'proposal', '1'); remove(t, ['vpn', 'ipsec', ['ike-group', 'raincoat-ike']], 'proposal', '2'); }, /IKE group "raincoat-ike" has no proposal/],
  ['esp-group without proposals', rootTree, (t) => remove(t, ['vpn', 'ipsec', ['esp-group', 'raincoat-esp']], 'proposal', '1'), /ESP group "raincoat-esp" has no proposal/],
  ['no authentication mode', rootTree, (t) => remove(t, [...PEER, 'authentication'], 'mode'), /Missing authentication on site-to-site peer tunnel-1-2/],
  ['x509 mode without certificates', rootTree, (t) => set(t, [...PEER, 'authentication'], 'mode', 'x509'), /Missing x509 certificates on site-to-site peer/],
  ['no local address', rootTree, (t) => remove(t, PEER, 'local-address'), /Missing local-address or dhcp-interface on site-to-site peer tunnel-1-2/],
  ['no remote address', rootTree, (t) => remove(t, PEER, 'remote-address'), /Missing remote-address on site-to-site peer tunnel-1-2/],
  ['no tunnel', rootTree, (t) => remove(t, PEER, 'tunnel', '1'), /No VTI or tunnel specified on site-to-site peer tunnel-1-2/],
  ['tunnel without remote prefix', rootTree, (t) => remove(t, [...PEER, ['tunnel', '1']], 'remote'), /Tunnel 1 for site-to-site peer tunnel-1-2 needs a local and a remote prefix/],
  ['prefixes in transport mode', rootTree, (t) => set(t, ['vpn', 'ipsec', ['esp-group', 'raincoat-esp']], 'mode', 'transport'), /Local\/remote prefix cannot be used with ESP transport mode/],
  ['peer name with a dot', rootTree, (t) => append(nodeAt(t, ['vpn', 'ipsec', 'site-to-site'])!, tagNode('peer', 'a.b', [...nodeAt(t, PEER)!.children])), /Incorrect peer name "a.b"/],
  ['openvpn without mode', rootTree, (t) => remove(t, UPLINK, 'mode'), /Must specify OpenVPN operation mode!/],
  ['server without subnet', rootTree, (t) => remove(t, [...UPLINK, 'server'], 'subnet'), /Must specify "server subnet"/],
  ['server subnet too small', rootTree, (t) => set(t, [...UPLINK, 'server'], 'subnet', '10.1.0.0/30'), /Server subnets smaller than \/29/],
  ['pinned client outside the subnet', rootTree, (t) => set(t, [...UPLINK, 'server', ['client', 'leaf-1-1']], 'ip', '10.9.0.2'), /Client "leaf-1-1" IP 10.9.0.2 not in server subnet 10.1.0.0\/22/],
  ['server with remote-host', rootTree, (t) => set(t, UPLINK, 'remote-host', '192.0.2.1'), /Cannot specify "remote-host" in server mode/],
  ['server without tls', rootTree, (t) => remove(t, UPLINK, 'tls'), /Must specify "tls" for server and client modes/],
  ['no ca-certificate', rootTree, (t) => remove(t, [...UPLINK, 'tls'], 'ca-certificate'), /Must specify "tls ca-certificate"/],
  ['ca not in pki', rootTree, (t) => remove(t, ['pki'], 'ca', 'raincoat-ca'), /no pki ca raincoat-ca/],
  ['pki ca without certificate', rootTree, (t) => remove(t, ['pki', ['ca', 'raincoat-ca']], 'certificate'), /Missing CA certificate on specified PKI CA certificate "raincoat-ca"/],
  ['server without certificate', rootTree, (t) => remove(t, [...UPLINK, 'tls'], 'certificate'), /Missing "tls certificate" on openvpn interface vtun10/],
  ['certificate not in pki', rootTree, (t) => remove(t, ['pki'], 'certificate', 'raincoat-uplink-server'), /no pki certificate raincoat-uplink-server/],
  ['certificate without private key', rootTree, (t) => remove(t, ['pki', ['certificate', 'raincoat-uplink-server'], 'private'], 'key'), /Missing private key on specified PKI certificate/],
  ['RSA server key without dh-params', rootTree, (t) => set(t, ['pki', ['certificate', 'raincoat-uplink-server'], 'private'], 'key', rsaKey), /Must specify "tls dh-params" when not using EC keys in server mode/],
  ['dh-params not in pki', rootTree, (t) => set(t, [...UPLINK, 'tls'], 'dh-params', 'nope'), /pki dh 'nope' is not configured/],
  ['crypt-key not in pki', rootTree, (t) => remove(t, ['pki', 'openvpn'], 'shared-secret', 'raincoat-uplink-tls-crypt'), /Invalid crypt-key on openvpn interface vtun10/],
  ['auth-key and crypt-key together', rootTree, (t) => set(t, [...UPLINK, 'tls'], 'auth-key', 'raincoat-uplink-tls-crypt'), /TLS auth and crypt keys are mutually exclusive/],
  ['tls role in server mode', rootTree, (t) => set(t, [...UPLINK, 'tls'], 'role', 'passive'), /Cannot specify "tls role" in client-server mode/],
  ['no pki at all', rootTree, (t) => remove(t, [], 'pki'), /PKI is not configured/],
  ['client without remote-host', leafTree, (t) => remove(t, UPLINK, 'remote-host'), /Must specify "remote-host" in client mode/],
  ['client with local-port', leafTree, (t) => set(t, UPLINK, 'local-port', '1194'), /Cannot specify "local-port" in client mode/],
  ['client with dh-params', leafTree, (t) => set(t, [...UPLINK, 'tls'], 'dh-params', 'x'), /Cannot specify "tls dh-params" in client mode/],
  ['client with remote-address', leafTree, (t) => set(t, UPLINK, 'remote-address', '10.0.0.1'), /Cannot specify "local-address" or "remote-address" in client\/server/],
  ['firewall rule without action', walledRoot, (t) => remove(t, inRule(10), 'action'), /Rule action must be defined/],
  ['firewall port without protocol', walledRoot, (t) => remove(t, inRule(70), 'protocol'), /Protocol must be defined if specifying a port or port-group/],
  ['firewall port with ESP', walledRoot, (t) => (remove(t, inRule(50), 'protocol'), set(t, inRule(50), 'protocol', 'esp')), /Protocol must be tcp, udp, or tcp_udp when specifying a port/],
  ['firewall network group that is not there', walledRoot, (t) => remove(t, ['firewall', 'group'], 'network-group', 'raincoat-net-1'), /Invalid network-group "raincoat-net-1" on firewall rule/],
  ['firewall network group beside an address', walledRoot, (t) => set(t, [...FW_FWD, ['rule', '10'], 'source'], 'address', '10.9.0.0/16'), /network-group and address cannot both be defined/],
  ['firewall match-ipsec and match-none', walledRoot, (t) => set(t, [...inRule(40), 'ipsec'], 'match-none'), /Cannot specify both "match-ipsec" and "match-none"/],
  ['firewall interface name and group', walledLeaf, (t) => set(t, [...inRule(20), 'inbound-interface'], 'group', 'lan'), /Cannot specify both interface group and interface name/],
];

describe('verifyVyosConfig', () => {
  it('finds nothing wrong in rendered root and leaf trees, with their firewalls or without', () => {
    expect(verifyVyosConfig(rootTree())).toEqual([]);
    expect(verifyVyosConfig(leafTree())).toEqual([]);
    expect(verifyVyosConfig(walledRoot())).toEqual([]);
    expect(verifyVyosConfig(walledLeaf())).toEqual([]);
  });

  it.each(RULES)('reports %s', (_, make, breakIt, message) => {
    const tree = make();
    breakIt(tree);
    const problems = verifyVyosConfig(tree);
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(message));
  });

  it('refuses `encryption cipher` with TLS on 1.5 only', () => {
    const tree = leafTree();
    set(tree, [...UPLINK, 'encryption'], 'cipher', 'aes256gcm');
    expect(verifyVyosConfig(tree, { vyosVersion: '1.4' })).toEqual([]);
    expect(verifyVyosConfig(tree, { vyosVersion: '1.5' }).map((p) => p.message)).toEqual([
      '"encryption cipher" option is deprecated for TLS mode. Use "encryption data-ciphers" instead',
    ]);
  });

  it('says where a problem is', () => {
    const tree = rootTree();
    remove(tree, PEER, 'local-address');
    expect(verifyVyosConfig(tree)).toEqual([
      { path: 'vpn ipsec site-to-site peer tunnel-1-2', message: 'Missing local-address or dhcp-interface on site-to-site peer tunnel-1-2' },
    ]);
  });
});
