// Every file of one node (VyOS and linux backends side by side, or the one its backend takes), and the client profiles:
// what `raincoat render` writes.
import type { AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import { LINUX_FIREWALL_FILE } from '../../../src-shared/protocol/nodeFirewall.ts';
import type { CertifiedKey, OverlayKeys, RootKeys } from '../pki/keyTypes.ts';
import { leafKeysOf, rootKeysOf } from './keyMaterial.ts';
import { leafOf, rootOf } from './overlayFacts.ts';
import { PKI_FILES } from './linux/openvpnConfig.ts';
import { CCD_DIR, renderClientProfile, renderLeafClientServer, renderLeafUplinkClient, renderRootUplinkServer } from './linux/renderOpenvpn.ts';
import { JAILED, jailOf, type OpenvpnServerRole } from './linux/openvpnPrivileges.ts';
import { renderLeafNftables, renderRootNftables } from './linux/renderNftables.ts';
import { renderSwanctlConf } from './linux/renderSwanctlConf.ts';
import { agentPortOf, rendersFor, type RenderOptions } from './renderOptions.ts';
import type { ConfigNode } from './configTree.ts';
import { renderConfigBoot } from './vyos/renderConfigBoot.ts';
import { renderLeafVyos } from './vyos/renderLeafVyos.ts';
import { renderRootVyos } from './vyos/renderRootVyos.ts';
import { renderVyosSet } from './vyos/renderVyosSet.ts';

export interface RenderedFile {
  /** Relative to the node's folder (`root-1/`, `leaf-1-2/`) or, for client profiles, to the output folder. */
  path: string;
  content: string;
  /** 0o600 for anything holding a private key or pre-shared key. */
  mode: 0o600 | 0o644;
}

/** Each node's VyOS configuration as `set` commands, the file VyOS's checks read. */
export const VYOS_SET_FILE = 'vyos.set';

const SECRET = 0o600;
const PUBLIC = 0o644;

function vyosFiles(tree: ConfigNode): RenderedFile[] {
  return [
    { path: VYOS_SET_FILE, content: renderVyosSet(tree), mode: SECRET },
    { path: 'config.boot', content: renderConfigBoot(tree), mode: SECRET },
  ];
}

/** pki/: the cloud's CA and CRL, the node's certificates and keys (by `pki/<role>` stem), its tls-crypt keys (by file). */
function pkiFiles(rootKeys: RootKeys, certified: Record<string, CertifiedKey>, tlsCrypt: Record<string, string>): RenderedFile[] {
  return [
    { path: PKI_FILES.ca, content: rootKeys.openvpnCa.certPem, mode: PUBLIC },
    { path: PKI_FILES.crl, content: rootKeys.openvpnCa.crlPem, mode: PUBLIC },
    ...Object.entries(certified).flatMap(([stem, c]): RenderedFile[] => [
      { path: `${stem}.crt`, content: c.certPem, mode: PUBLIC },
      { path: `${stem}.key`, content: c.keyPem, mode: SECRET },
    ]),
    ...Object.entries(tlsCrypt).map(([path, content]): RenderedFile => ({ path, content, mode: SECRET })),
  ];
}

/** A server that drops root reads its CRL in its jail (openvpnPrivileges); none otherwise. */
function jailedCrl(rootKeys: RootKeys, role: OpenvpnServerRole, options: RenderOptions): RenderedFile[] {
  return options.openvpnUser ? [{ path: `${jailOf(role)}/${JAILED.crl}`, content: rootKeys.openvpnCa.crlPem, mode: PUBLIC }] : [];
}

/** The node's nftables ruleset, when the options give its agent's port (RenderOptions.agentPort). */
export const FIREWALL_FILE = LINUX_FIREWALL_FILE;

function firewallFile(options: RenderOptions, nodeName: string, render: (agentPort: number) => string): RenderedFile[] {
  const agentPort = agentPortOf(options, nodeName);
  return agentPort === undefined ? [] : [{ path: FIREWALL_FILE, content: render(agentPort), mode: PUBLIC }];
}

const openvpnMode = (options: RenderOptions) => (options.inlineKeys ? SECRET : PUBLIC);

export function renderRootFiles(plan: AddressPlan, rootId: number, keys: OverlayKeys, options: RenderOptions = {}): RenderedFile[] {
  const rootKeys = rootKeysOf(keys, rootId);
  const nodeName = rootOf(plan, rootId).nodeName;
  const vyos = rendersFor(options, nodeName, 'vyos') ? vyosFiles(renderRootVyos(plan, rootId, keys, options)) : [];
  if (!rendersFor(options, nodeName, 'linux')) return vyos;
  const uplink = renderRootUplinkServer(plan, rootId, keys, options);
  return [
    ...vyos,
    { path: 'swanctl.conf', content: renderSwanctlConf(plan, rootId, keys, options), mode: SECRET },
    { path: 'openvpn/uplink-server.conf', content: uplink.config, mode: openvpnMode(options) },
    ...Object.entries(uplink.clientConfigs).map(
      ([name, content]): RenderedFile => ({ path: `${options.openvpnUser ? `${jailOf('uplink-server')}/${JAILED.ccd}` : CCD_DIR}/${name}`, content, mode: PUBLIC }),
    ),
    ...pkiFiles(rootKeys, { [PKI_FILES.uplinkServer]: rootKeys.uplinkServer }, { [PKI_FILES.uplinkTlsCrypt]: rootKeys.uplinkTlsCrypt }),
    ...jailedCrl(rootKeys, 'uplink-server', options),
    ...firewallFile(options, nodeName, (port) => renderRootNftables(plan, rootId, port)),
  ];
}

export function renderLeafFiles(plan: AddressPlan, leafNodeName: string, keys: OverlayKeys, options: RenderOptions = {}): RenderedFile[] {
  const { root } = leafOf(plan, leafNodeName);
  const leafKeys = leafKeysOf(keys, leafNodeName);
  const rootKeys = rootKeysOf(keys, root.rootId);
  const vyos = rendersFor(options, leafNodeName, 'vyos') ? vyosFiles(renderLeafVyos(plan, leafNodeName, keys, options)) : [];
  if (!rendersFor(options, leafNodeName, 'linux')) return vyos;
  return [
    ...vyos,
    { path: 'openvpn/uplink-client.conf', content: renderLeafUplinkClient(plan, leafNodeName, keys, options), mode: openvpnMode(options) },
    { path: 'openvpn/client-server.conf', content: renderLeafClientServer(plan, leafNodeName, keys, options), mode: openvpnMode(options) },
    ...pkiFiles(
      rootKeys,
      { [PKI_FILES.uplinkClient]: leafKeys.uplinkClient, [PKI_FILES.clientServer]: leafKeys.clientServer },
      { [PKI_FILES.uplinkTlsCrypt]: rootKeys.uplinkTlsCrypt, [PKI_FILES.clientTlsCryptV2]: rootKeys.clientTlsCryptV2 },
    ),
    ...jailedCrl(rootKeys, 'client-server', options),
    ...firewallFile(options, leafNodeName, (port) => renderLeafNftables(plan, leafNodeName, port, options)),
  ];
}

/** `clients/<name>.ovpn` for every client in the key material, in name order. */
export function renderClientFiles(plan: AddressPlan, keys: OverlayKeys, options: RenderOptions = {}): RenderedFile[] {
  return Object.keys(keys.clients)
    .sort()
    .map((name) => ({ path: `clients/${name}.ovpn`, content: renderClientProfile(plan, name, keys, options), mode: SECRET }));
}

/**
 * Everything `raincoat render --out DIR` writes, with paths relative to DIR: `control-ca.crt`, `root-<id>/…`,
 * `leaf-<root>-<n>/…` and `clients/*.ovpn`. `options.baseDir` is where each node keeps its files on the node.
 */
export function renderOverlayFiles(plan: AddressPlan, keys: OverlayKeys, options: RenderOptions = {}): RenderedFile[] {
  const under = (dir: string, files: RenderedFile[]) => files.map((f) => ({ ...f, path: `${dir}/${f.path}` }));
  return [
    { path: 'control-ca.crt', content: keys.controlCa.certPem, mode: PUBLIC },
    ...plan.roots.flatMap((root) => [
      ...under(root.nodeName, renderRootFiles(plan, root.rootId, keys, options)),
      ...root.leaves.flatMap((leaf) => under(leaf.nodeName, renderLeafFiles(plan, leaf.nodeName, keys, options))),
    ]),
    ...renderClientFiles(plan, keys, options),
  ];
}
