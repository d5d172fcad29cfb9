// What VyOS's commit-time verify() (vpn_ipsec.py, interfaces_openvpn.py, firewall.py) would refuse in a tree, plus what charon needs.
import { childNode, nodeAt, optionValues, taggedChildren, type ConfigNode } from '../render/configTree.ts';
import { isEcPrivateKeyBase64 } from '../render/keyMaterial.ts';
import { parsePrefix, parseIpv4, prefixContains } from '../../../src-shared/net/ipv4.ts';
import type { VyosVersion } from '../render/renderOptions.ts';
import { verifyFirewall } from './verifyVyosFirewall.ts';

export interface VyosConfigProblem {
  /** Where, as a set path: `vpn ipsec site-to-site peer tunnel-1-2`. */
  path: string;
  message: string;
}

type Report = (path: string, message: string) => void;

const has = (n: ConfigNode | undefined, title: string) => n !== undefined && optionValues(n, title) !== undefined;
const first = (n: ConfigNode | undefined, title: string) => (n ? optionValues(n, title)?.[0] : undefined);
const tags = (n: ConfigNode | undefined, title: string) => (n ? taggedChildren(n, title) : []);
const tagNamed = (n: ConfigNode | undefined, title: string, tag: string) => (n ? childNode(n, title, tag) : undefined);

function verifyIpsec(tree: ConfigNode, report: Report): void {
  const ipsec = nodeAt(tree, ['vpn', 'ipsec']);
  if (!ipsec) return;
  const base = 'vpn ipsec';
  const psks = tags(childNode(ipsec, 'authentication'), 'psk');
  for (const psk of psks) {
    if (!has(psk, 'id') || !has(psk, 'secret')) report(`${base} authentication psk ${psk.tag}`, `Authentication psk "${psk.tag}" missing "id" or "secret"`);
  }
  for (const group of tags(ipsec, 'ike-group')) {
    if (tags(group, 'proposal').length === 0) report(`${base} ike-group ${group.tag}`, `IKE group "${group.tag}" has no proposal`);
  }
  for (const group of tags(ipsec, 'esp-group')) {
    if (tags(group, 'proposal').length === 0) report(`${base} esp-group ${group.tag}`, `ESP group "${group.tag}" has no proposal`);
  }
  const espGroup = (name: string) => tagNamed(ipsec, 'esp-group', name);
  const pki = childNode(tree, 'pki');

  for (const peer of tags(childNode(ipsec, 'site-to-site'), 'peer')) {
    const name = peer.tag!;
    const at = `${base} site-to-site peer ${name}`;
    if (/[:.]/.test(name)) report(at, `Incorrect peer name "${name}" Peer name can contain alpha-numeric letters, hyphen and underscore`);
    if (!has(peer, 'remote-address')) report(at, `Missing remote-address on site-to-site peer ${name}`);
    const defaultEsp = first(peer, 'default-esp-group');
    if (defaultEsp !== undefined && !espGroup(defaultEsp)) report(at, `Invalid esp-group on site-to-site peer ${name}`);
    const ike = first(peer, 'ike-group');
    if (ike === undefined) report(at, `Missing ike-group on site-to-site peer ${name}`);
    else if (!tagNamed(ipsec, 'ike-group', ike)) report(at, `Invalid ike-group on site-to-site peer ${name}`);

    const auth = childNode(peer, 'authentication');
    const mode = first(auth, 'mode');
    if (mode === undefined) report(at, `Missing authentication on site-to-site peer ${name}`);
    if (mode === 'pre-shared-secret') {
      // charon picks the secret whose ids match both ends' identities; without one, IKE_AUTH fails.
      const localId = first(auth, 'local-id') ?? first(peer, 'local-address');
      const remoteId = first(auth, 'remote-id') ?? first(peer, 'remote-address');
      const matches = psks.some((psk) => {
        const ids = optionValues(psk, 'id') ?? [];
        return has(psk, 'secret') && localId !== undefined && remoteId !== undefined && ids.includes(localId) && ids.includes(remoteId);
      });
      if (!matches) report(at, `No authentication psk with id "${localId ?? '?'}" and id "${remoteId ?? '?'}" for site-to-site peer ${name}`);
    }
    if (mode === 'x509') {
      const x509 = childNode(auth!, 'x509');
      const cas = x509 ? (optionValues(x509, 'ca-certificate') ?? []) : [];
      const cert = first(x509, 'certificate');
      if (cas.length === 0 || cert === undefined) report(at, `Missing x509 certificates on site-to-site peer ${name}`);
      for (const ca of cas) verifyPkiCa(pki, ca, at, report);
      if (cert !== undefined) verifyPkiCertificate(pki, cert, at, report);
    }
    if (!has(peer, 'local-address') && !has(peer, 'dhcp-interface')) report(at, `Missing local-address or dhcp-interface on site-to-site peer ${name}`);
    const tunnels = tags(peer, 'tunnel');
    if (!childNode(peer, 'vti') && tunnels.length === 0) report(at, `No VTI or tunnel specified on site-to-site peer ${name}`);
    for (const tunnel of tunnels) {
      const tat = `${at} tunnel ${tunnel.tag}`;
      const espName = first(tunnel, 'esp-group') ?? defaultEsp;
      if (espName === undefined) report(tat, `Missing esp-group on tunnel ${tunnel.tag} for site-to-site peer ${name}`);
      else if (!espGroup(espName)) report(tat, `Invalid esp-group on tunnel ${tunnel.tag} for site-to-site peer ${name}`);
      const transport = espName !== undefined && first(espGroup(espName), 'mode') === 'transport';
      const localPrefix = has(childNode(tunnel, 'local'), 'prefix');
      const remotePrefix = has(childNode(tunnel, 'remote'), 'prefix');
      if (transport && (localPrefix || remotePrefix)) {
        report(tat, `Local/remote prefix cannot be used with ESP transport mode on tunnel ${tunnel.tag} for site-to-site peer ${name}`);
      }
      if (!transport && (!localPrefix || !remotePrefix)) report(tat, `Tunnel ${tunnel.tag} for site-to-site peer ${name} needs a local and a remote prefix`);
    }
  }
}

function verifyPkiCa(pki: ConfigNode | undefined, name: string, at: string, report: Report): void {
  const ca = tagNamed(pki, 'ca', name);
  if (!ca) report(at, `Invalid CA certificate "${name}": no pki ca ${name}`);
  else if (!has(ca, 'certificate')) report(at, `Missing CA certificate on specified PKI CA certificate "${name}"`);
}

function verifyPkiCertificate(pki: ConfigNode | undefined, name: string, at: string, report: Report): ConfigNode | undefined {
  const cert = tagNamed(pki, 'certificate', name);
  if (!cert) {
    report(at, `Invalid certificate "${name}": no pki certificate ${name}`);
    return undefined;
  }
  if (!has(cert, 'certificate')) report(at, `Missing certificate on specified PKI certificate "${name}"`);
  const priv = childNode(cert, 'private');
  if (!has(priv, 'key')) report(at, `Missing private key on specified PKI certificate "${name}"`);
  if (has(priv, 'password-protected')) report(at, `Cannot use encrypted private key "${name}" on openvpn`);
  return cert;
}

function verifyOpenvpn(tree: ConfigNode, version: VyosVersion, report: Report): void {
  const pki = childNode(tree, 'pki');
  for (const vtun of tags(childNode(tree, 'interfaces'), 'openvpn')) {
    const ifname = vtun.tag!;
    const at = `interfaces openvpn ${ifname}`;
    const mode = first(vtun, 'mode');
    if (mode === undefined) {
      report(at, 'Must specify OpenVPN operation mode!');
      continue;
    }
    const tls = childNode(vtun, 'tls');
    if (mode === 'client') {
      if (has(vtun, 'local-port')) report(at, 'Cannot specify "local-port" in client mode');
      if (has(vtun, 'local-host')) report(at, 'Cannot specify "local-host" in client mode');
      if (!has(vtun, 'remote-host')) report(at, 'Must specify "remote-host" in client mode');
      if (has(tls, 'dh-params')) report(at, 'Cannot specify "tls dh-params" in client mode');
    }
    if (mode === 'client' || mode === 'server') {
      if (tags(vtun, 'local-address').length > 0 || has(vtun, 'remote-address')) {
        report(at, 'Cannot specify "local-address" or "remote-address" in client/server or bridge mode');
      }
    }
    if (mode === 'server') verifyOpenvpnServer(vtun, at, report);
    if (mode === 'server' || mode === 'client') verifyOpenvpnTls(vtun, tls, pki, mode, version, at, report);
  }
}

function verifyOpenvpnServer(vtun: ConfigNode, at: string, report: Report): void {
  if (has(vtun, 'remote-host')) report(at, 'Cannot specify "remote-host" in server mode');
  if (has(vtun, 'remote-port')) report(at, 'Cannot specify "remote-port" in server mode');
  const server = childNode(vtun, 'server');
  const subnets = (server ? optionValues(server, 'subnet') : undefined) ?? [];
  const v4 = subnets.map((s) => ({ text: s, prefix: parsePrefix(s) })).filter((s) => s.prefix !== undefined);
  if (subnets.length === 0) {
    report(at, 'Must specify "server subnet" or add interface to bridge in server mode');
    return;
  }
  if (v4.length > 1) report(at, 'Cannot specify more than 1 IPv4 server subnet');
  const subnet = v4[0];
  const tap = first(vtun, 'device-type') === 'tap';
  if (subnet && subnet.prefix!.length > (tap ? 30 : 29)) {
    report(at, `Server subnets smaller than /${tap ? 30 : 29} with device type "${tap ? 'tap' : 'tun'}" are not supported`);
  }
  for (const client of tags(server, 'client')) {
    const ips = optionValues(client, 'ip') ?? [];
    if (ips.length > 1) report(`${at} server client ${client.tag}`, `Server client "${client.tag}": cannot specify more than 1 IPv4 and 1 IPv6 IP`);
    const ip = ips[0] === undefined ? undefined : parseIpv4(ips[0]);
    if (subnet && ip !== undefined && !prefixContains(subnet.prefix!, ip)) {
      report(`${at} server client ${client.tag}`, `Client "${client.tag}" IP ${ips[0]} not in server subnet ${subnet.text}`);
    }
  }
}

function verifyOpenvpnTls(
  vtun: ConfigNode,
  tls: ConfigNode | undefined,
  pki: ConfigNode | undefined,
  mode: string,
  version: VyosVersion,
  at: string,
  report: Report,
): void {
  if (!tls) {
    report(at, 'Must specify "tls" for server and client modes');
    return;
  }
  if (!pki) report(at, 'PKI is not configured');
  const cas = optionValues(tls, 'ca-certificate') ?? [];
  if (cas.length === 0) report(at, `Must specify "tls ca-certificate" on openvpn interface ${vtun.tag}, it is required in server and client modes`);
  for (const ca of cas) verifyPkiCa(pki, ca, at, report);
  const certName = first(tls, 'certificate');
  const authKey = first(tls, 'auth-key');
  const cryptKey = first(tls, 'crypt-key');
  if (mode === 'server' && authKey === undefined && certName === undefined) report(at, `Missing "tls certificate" on openvpn interface ${vtun.tag}`);
  const cert = certName === undefined ? undefined : verifyPkiCertificate(pki, certName, at, report);
  const dh = first(tls, 'dh-params');
  if (dh !== undefined && !tagNamed(pki, 'dh', dh)) report(at, `pki dh '${dh}' is not configured`);
  if (mode === 'server' && dh === undefined && cert) {
    const key = first(childNode(cert, 'private'), 'key');
    if (key !== undefined && !isEcPrivateKeyBase64(key)) report(at, 'Must specify "tls dh-params" when not using EC keys in server mode');
  }
  if (authKey !== undefined && cryptKey !== undefined) report(at, 'TLS auth and crypt keys are mutually exclusive');
  for (const [what, key] of [['auth-key', authKey], ['crypt-key', cryptKey]] as const) {
    if (key === undefined) continue;
    const secret = tagNamed(pki ? childNode(pki, 'openvpn') : undefined, 'shared-secret', key);
    if (!secret || !has(secret, 'key')) report(at, `Invalid ${what} on openvpn interface ${vtun.tag}`);
  }
  if (has(tls, 'role') && authKey === undefined) report(at, 'Cannot specify "tls role" in client-server mode');
  if (version === '1.5' && has(childNode(vtun, 'encryption'), 'cipher')) {
    report(at, '"encryption cipher" option is deprecated for TLS mode. Use "encryption data-ciphers" instead');
  }
}

/** Every problem VyOS's commit would raise for the IPsec, OpenVPN and firewall parts of the tree; [] when it would commit. */
export function verifyVyosConfig(tree: ConfigNode, options: { vyosVersion?: VyosVersion } = {}): VyosConfigProblem[] {
  const problems: VyosConfigProblem[] = [];
  const report: Report = (path, message) => problems.push({ path, message });
  verifyIpsec(tree, report);
  verifyOpenvpn(tree, options.vyosVersion ?? '1.4', report);
  verifyFirewall(tree, report);
  return problems;
}
