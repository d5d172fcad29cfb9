// Plain OpenVPN files for the `linux` backend: a root's uplink server (with client-config-dir), a leaf's two ends, client profiles.
import type { AddressPlan, LeafPlan, RootPlan } from '../../../../src-shared/plan/planAddresses.ts';
import { netmask, parsePrefix, formatIpv4 } from '../../../../src-shared/net/ipv4.ts';
import type { ClientKeys, OverlayKeys, RootKeys } from '../../pki/keyTypes.ts';
import { commonName, leafKeysOf, rootKeysOf } from '../keyMaterial.ts';
import { OPENVPN_PORT, clientLeafOrder, leafAddress, leafOf, reachableOverlays, rootAddress, rootOf } from '../overlayFacts.ts';
import { DEFAULT_BASE_DIR, type RenderOptions } from '../renderOptions.ts';
import {
  CRYPTO_DIRECTIVES,
  PKI_FILES,
  comment,
  directive,
  push,
  renderOpenvpnConfig,
  tlsDirectives,
  type OpenvpnDirective,
  type TlsFiles,
  type TlsMaterial,
} from './openvpnConfig.ts';
import { JAILED, privilegeDrop } from './openvpnPrivileges.ts';

/** Tunnel device names, fixed so that routes, firewalls and tests can name them. */
export const OPENVPN_DEVICES = { uplink: 'rc-uplink', clients: 'rc-clients' } as const;
export const CCD_DIR = 'openvpn/ccd';

/** `a.b.c.d mask` words of a prefix, as OpenVPN's `server`, `route` and `iroute` take them. */
function networkAndMask(prefix: string): [string, string] {
  const parsed = parsePrefix(prefix);
  if (!parsed) throw new Error(`${prefix} is not an IPv4 prefix`);
  return [formatIpv4(parsed.base), netmask(parsed.length)];
}

/** Key material as files under the node's base folder, or inline when the options ask for it. */
function filesOf(options: RenderOptions, stem: string, tlsCrypt: string): TlsFiles | undefined {
  return options.inlineKeys ? undefined : { baseDir: options.baseDir ?? DEFAULT_BASE_DIR, stem, tlsCrypt };
}

const COMMON: readonly OpenvpnDirective[] = [directive('dev-type', 'tun'), directive('proto', 'udp'), directive('persist-key'), directive('persist-tun')];

/**
 * A server's UDP socket. It listens on every address, and a root or leaf has several (internet or private, tunnels):
 * multihome answers from the address a peer sent to, else the kernel picks the source and the peer drops the reply.
 */
const SERVER_SOCKET: readonly OpenvpnDirective[] = [directive('port', String(OPENVPN_PORT)), directive('multihome')];

export interface UplinkServerFiles {
  config: string;
  /** client-config-dir entries by leaf certificate common name: the leaf's pinned address and client subnet. */
  clientConfigs: Record<string, string>;
}

/** The root's server for its leaves' uplinks; only leaves with a client-config-dir entry get in (ccd-exclusive). */
export function renderRootUplinkServer(plan: AddressPlan, rootId: number, keys: OverlayKeys, options: RenderOptions = {}): UplinkServerFiles {
  const root = rootOf(plan, rootId);
  const rootKeys = rootKeysOf(keys, rootId);
  const baseDir = options.baseDir ?? DEFAULT_BASE_DIR;
  const [uplinkNet, uplinkMask] = networkAndMask(root.uplinkSubnet);
  const clientConfigs: Record<string, string> = {};
  for (const leaf of root.leaves) {
    clientConfigs[commonName(leafKeysOf(keys, leaf.nodeName).uplinkClient.certPem)] = renderOpenvpnConfig([
      comment(`${leaf.nodeName}: pinned uplink address and its client subnet`),
      directive('ifconfig-push', leaf.uplinkAddress, uplinkMask),
      directive('iroute', ...networkAndMask(leaf.clientSubnet)),
    ]);
  }
  const config = renderOpenvpnConfig([
    comment(`Raincoat ${root.nodeName} (${root.name}): OpenVPN server for its leaves' uplinks`),
    directive('dev', OPENVPN_DEVICES.uplink),
    ...COMMON,
    ...SERVER_SOCKET,
    directive('topology', 'subnet'),
    // Every leaf's address is pinned in its client-config-dir entry, so there is no pool to draw from.
    directive('server', uplinkNet, uplinkMask, 'nopool'),
    directive('client-config-dir', options.openvpnUser ? JAILED.ccd : `${baseDir}/${CCD_DIR}`),
    directive('ccd-exclusive'),
    ...root.leaves.map((leaf) => directive('route', ...networkAndMask(leaf.clientSubnet))),
    directive('keepalive', '10', '60'),
    ...serverTlsDirectives(
      { caPem: rootKeys.openvpnCa.certPem, crlPem: rootKeys.openvpnCa.crlPem, certified: rootKeys.uplinkServer, tlsCrypt: uplinkTlsCrypt(rootKeys) },
      filesOf(options, PKI_FILES.uplinkServer, PKI_FILES.uplinkTlsCrypt),
      options,
    ),
    ...privilegeDrop(options, baseDir, 'uplink-server'),
  ]);
  return { config, clientConfigs };
}

/** The leaf's uplink to its root; every overlay its root reaches through tunnels is routed through it. */
export function renderLeafUplinkClient(plan: AddressPlan, leafNodeName: string, keys: OverlayKeys, options: RenderOptions = {}): string {
  const { root } = leafOf(plan, leafNodeName);
  const rootKeys = rootKeysOf(keys, root.rootId);
  const leafKeys = leafKeysOf(keys, leafNodeName);
  return renderOpenvpnConfig([
    comment(`Raincoat ${leafNodeName}: uplink to ${root.nodeName} (${root.name})`),
    directive('client'),
    directive('dev', OPENVPN_DEVICES.uplink),
    ...COMMON,
    directive('remote', rootAddress(root, options), String(OPENVPN_PORT)),
    directive('nobind'),
    directive('resolv-retry', 'infinite'),
    ...tlsDirectives(
      { caPem: rootKeys.openvpnCa.certPem, certified: leafKeys.uplinkClient, tlsCrypt: uplinkTlsCrypt(rootKeys) },
      filesOf(options, PKI_FILES.uplinkClient, PKI_FILES.uplinkTlsCrypt),
    ),
    ...CRYPTO_DIRECTIVES,
    directive('remote-cert-tls', 'server'),
    // Pinned to the root's own certificate: a client VM's certificate from the same CA cannot pose as the root.
    directive('verify-x509-name', commonName(rootKeys.uplinkServer.certPem), 'name'),
    ...reachableOverlays(plan, root.rootId).map((prefix) => directive('route', ...networkAndMask(prefix), root.uplinkServerAddress)),
    directive('verb', '3'),
    ...privilegeDrop(options, options.baseDir ?? DEFAULT_BASE_DIR),
  ]);
}

/** The leaf's server for client VMs on its client subnet; it pushes every overlay its root reaches, so clients reach those clouds. */
export function renderLeafClientServer(plan: AddressPlan, leafNodeName: string, keys: OverlayKeys, options: RenderOptions = {}): string {
  const { root, leaf } = leafOf(plan, leafNodeName);
  const rootKeys = rootKeysOf(keys, root.rootId);
  const leafKeys = leafKeysOf(keys, leafNodeName);
  return renderOpenvpnConfig([
    comment(`Raincoat ${leafNodeName}: OpenVPN server for client VMs of ${root.nodeName} (${root.name})`),
    directive('dev', OPENVPN_DEVICES.clients),
    ...COMMON,
    ...SERVER_SOCKET,
    directive('topology', 'subnet'),
    directive('server', ...networkAndMask(leaf.clientSubnet)),
    ...reachableOverlays(plan, root.rootId).map((prefix) => push('route', ...networkAndMask(prefix))),
    directive('keepalive', '10', '60'),
    ...serverTlsDirectives(
      {
        caPem: rootKeys.openvpnCa.certPem,
        crlPem: rootKeys.openvpnCa.crlPem,
        certified: leafKeys.clientServer,
        tlsCrypt: { kind: 'tls-crypt-v2', key: rootKeys.clientTlsCryptV2 },
      },
      filesOf(options, PKI_FILES.clientServer, PKI_FILES.clientTlsCryptV2),
      options,
    ),
    ...privilegeDrop(options, options.baseDir ?? DEFAULT_BASE_DIR, 'client-server'),
  ]);
}

/**
 * A client VM's `.ovpn` profile, everything inline, for OpenVPN 2.5+. It lists every leaf of the client's
 * root, its own first (`clientLeafOrder`), so the client fails over when its leaf is down.
 */
export function renderClientProfile(plan: AddressPlan, clientName: string, keys: OverlayKeys, options: RenderOptions = {}): string {
  const client = keys.clients[clientName];
  if (!client) throw new Error(`no keys for client ${clientName}`);
  const root = rootOf(plan, client.rootId);
  const index = Number(/^client-\d+-(\d+)$/.exec(clientName)?.[1] ?? 1);
  const tlsCrypt = clientTlsCrypt(rootKeysOf(keys, root.rootId), client, options);
  return renderClientProfileFor(root, clientLeafOrder(root, index), `Raincoat client ${clientName} of ${root.nodeName} (${root.name})`, { ...client, tlsCrypt }, keys, options);
}

/** What a profile carries of its client, inline: its certificate, its tls-crypt(-v2) key, and its key unless the client keeps its own file. */
export interface ClientProfileMaterial {
  certPem: string;
  keyPem?: string;
  tlsCrypt: TlsMaterial['tlsCrypt'];
}

/** A client profile of `root`'s cloud that tries `leaves` in that order: for a client of the key material, or an enrollment template. */
export function renderClientProfileFor(
  root: RootPlan,
  leaves: readonly LeafPlan[],
  title: string,
  client: ClientProfileMaterial,
  keys: OverlayKeys,
  options: RenderOptions = {},
): string {
  return renderOpenvpnConfig([
    comment(title),
    directive('client'),
    directive('dev', 'tun'),
    directive('proto', 'udp'),
    ...leaves.flatMap((leaf) => [
      ...(options.addresses?.[leaf.nodeName] === undefined ? [comment(`${leaf.nodeName} has no known internet address: its name must resolve (DNS or /etc/hosts)`)] : []),
      directive('remote', leafAddress(leaf, options), String(OPENVPN_PORT)),
    ]),
    directive('resolv-retry', 'infinite'),
    directive('nobind'),
    directive('persist-key'),
    directive('persist-tun'),
    ...CRYPTO_DIRECTIVES,
    directive('remote-cert-tls', 'server'),
    directive('verb', '3'),
    ...tlsDirectives({ caPem: rootKeysOf(keys, root.rootId).openvpnCa.certPem, certified: client, tlsCrypt: client.tlsCrypt }, undefined),
  ]);
}

/** The uplink's key: held by the root and its leaves, never by a client VM. */
function uplinkTlsCrypt(rootKeys: RootKeys): TlsMaterial['tlsCrypt'] {
  return { kind: 'tls-crypt', key: rootKeys.uplinkTlsCrypt };
}

/** A profile's key for its leaves' client servers: its own tls-crypt-v2 key on linux, the cloud's clients' key on VyOS. */
function clientTlsCrypt(rootKeys: RootKeys, client: ClientKeys, options: RenderOptions): TlsMaterial['tlsCrypt'] {
  return (options.clientServers ?? 'linux') === 'linux'
    ? { kind: 'tls-crypt-v2', key: client.tlsCryptV2 }
    : { kind: 'tls-crypt', key: rootKeys.clientTlsCrypt };
}

/**
 * How both OpenVPN servers end: their TLS material, ECDHE only (`dh none`), and peers that must carry clientAuth. A server
 * that drops root reads its CRL in its jail, as a file even when the rest is inline: it reads it again when it changes.
 */
function serverTlsDirectives(material: TlsMaterial, files: TlsFiles | undefined, options: RenderOptions): OpenvpnDirective[] {
  const jailed = options.openvpnUser !== undefined;
  return [
    ...tlsDirectives(jailed ? { ...material, crlPem: undefined } : material, files),
    ...(jailed ? [directive('crl-verify', JAILED.crl)] : []),
    directive('dh', 'none'),
    ...CRYPTO_DIRECTIVES,
    directive('remote-cert-tls', 'client'),
    directive('verb', '3'),
  ];
}
