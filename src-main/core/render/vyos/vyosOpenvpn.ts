// VyOS `interfaces openvpn vtunN` nodes: servers (a root's uplinks, a leaf's client VMs) and a leaf's uplink client.
import { leaf, node, tagNode, type ConfigEntry, type ConfigNode } from '../configTree.ts';
import { openvpnQuote } from '../openvpnQuote.ts';
import { OPENVPN_PORT } from '../overlayFacts.ts';
import type { VyosVersion } from '../renderOptions.ts';
import { VYOS_NAMES } from './vyosNames.ts';

/** The data-channel cipher list, renamed between releases: 1.4 `ncp-ciphers`, 1.5 `data-ciphers`. */
function encryption(version: VyosVersion): ConfigNode {
  return node('encryption', [leaf(version === '1.4' ? 'ncp-ciphers' : 'data-ciphers', 'aes256gcm')]);
}

function tls(certificate: string, cryptKey: string, withDh: boolean): ConfigNode {
  return node('tls', [
    leaf('ca-certificate', VYOS_NAMES.ca),
    leaf('certificate', certificate),
    leaf('crypt-key', cryptKey),
    leaf('tls-version-min', '1.2'),
    ...(withDh ? [leaf('dh-params', VYOS_NAMES.dhParams)] : []),
  ]);
}

export interface VyosServerClient {
  /** The client certificate's common name: OpenVPN keys client-config-dir entries by it. */
  commonName: string;
  ip: string;
  subnet: string;
}

export interface VyosOpenvpnServer {
  ifname: string;
  description: string;
  version: VyosVersion;
  subnet: string;
  certificate: string;
  /** The name of its tls-crypt key in `pki openvpn shared-secret`. */
  cryptKey: string;
  /** RSA server keys need DH parameters on VyOS; EC keys use ECDHE (`dh none`). */
  withDh: boolean;
  /** Pinned clients; when given, any other client is refused. */
  clients?: readonly VyosServerClient[];
  pushRoutes?: readonly string[];
}

export function vyosOpenvpnServer(s: VyosOpenvpnServer): ConfigNode {
  const clients = s.clients ?? [];
  const server: ConfigEntry[] = [
    leaf('subnet', s.subnet),
    leaf('topology', 'subnet'),
    ...(clients.length > 0 ? [leaf('reject-unconfigured-clients')] : []),
    ...clients.map((c) => tagNode('client', c.commonName, [leaf('ip', c.ip), leaf('subnet', c.subnet)])),
    ...(s.pushRoutes ?? []).map((prefix) => tagNode('push-route', prefix)),
  ];
  return tagNode('openvpn', s.ifname, [
    leaf('description', s.description),
    leaf('mode', 'server'),
    leaf('protocol', 'udp'),
    leaf('local-port', String(OPENVPN_PORT)),
    leaf('persistent-tunnel'),
    node('server', server),
    tls(s.certificate, s.cryptKey, s.withDh),
    encryption(s.version),
    leaf('openvpn-option', 'remote-cert-tls client'),
  ]);
}

export interface VyosOpenvpnClient {
  ifname: string;
  description: string;
  version: VyosVersion;
  remoteHost: string;
  certificate: string;
  /** The server certificate's common name, pinned: a client VM's certificate from the same CA cannot pose as the root. */
  serverCommonName: string;
}

export function vyosOpenvpnClient(c: VyosOpenvpnClient): ConfigNode {
  return tagNode('openvpn', c.ifname, [
    leaf('description', c.description),
    leaf('mode', 'client'),
    leaf('protocol', 'udp'),
    leaf('remote-host', c.remoteHost),
    leaf('remote-port', String(OPENVPN_PORT)),
    leaf('persistent-tunnel'),
    tls(c.certificate, VYOS_NAMES.uplinkTlsCrypt, false),
    encryption(c.version),
    leaf('openvpn-option', ['remote-cert-tls server', `verify-x509-name ${openvpnQuote(c.serverCommonName)} name`]),
  ]);
}
