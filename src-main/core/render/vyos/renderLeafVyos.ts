// A leaf router's VyOS configuration: the uplink client to its root, the OpenVPN server for client VMs, PKI, routes.
import type { AddressPlan } from '../../../../src-shared/plan/planAddresses.ts';
import type { OverlayKeys } from '../../pki/keyTypes.ts';
import { configTree, node, tagNode, type ConfigNode } from '../configTree.ts';
import { commonName, isEcKey, leafKeysOf, rootKeysOf } from '../keyMaterial.ts';
import { leafOf, reachableOverlays, rootAddress } from '../overlayFacts.ts';
import { agentPortOf, type RenderOptions } from '../renderOptions.ts';
import { leafFirewallPolicy } from '../firewallPolicy.ts';
import { vyosFirewall } from './vyosFirewall.ts';
import { VYOS_NAMES } from './vyosNames.ts';
import { vyosOpenvpnClient, vyosOpenvpnServer } from './vyosOpenvpn.ts';
import { vyosPki } from './vyosPki.ts';

/** The leaf's configuration tree: every overlay its root reaches is routed up to the root and pushed to its client VMs. */
export function renderLeafVyos(plan: AddressPlan, leafNodeName: string, keys: OverlayKeys, options: RenderOptions = {}): ConfigNode {
  const { root, leaf: leafPlan } = leafOf(plan, leafNodeName);
  const rootKeys = rootKeysOf(keys, root.rootId);
  const agentPort = agentPortOf(options, leafNodeName);
  const leafKeys = leafKeysOf(keys, leafNodeName);
  const version = options.vyosVersion ?? '1.4';
  const withDh = !isEcKey(leafKeys.clientServer.keyPem);
  const overlays = reachableOverlays(plan, root.rootId);
  return configTree([
    node('interfaces', [
      vyosOpenvpnClient({
        ifname: VYOS_NAMES.uplinkClientInterface,
        description: `Raincoat ${leafNodeName}: uplink to ${root.nodeName} (${root.name})`,
        version,
        remoteHost: rootAddress(root, options),
        certificate: VYOS_NAMES.uplinkClientCertificate,
        serverCommonName: commonName(rootKeys.uplinkServer.certPem),
      }),
      vyosOpenvpnServer({
        ifname: VYOS_NAMES.clientServerInterface,
        description: `Raincoat ${leafNodeName}: client VMs`,
        version,
        subnet: leafPlan.clientSubnet,
        certificate: VYOS_NAMES.clientServerCertificate,
        cryptKey: VYOS_NAMES.clientTlsCrypt,
        withDh,
        pushRoutes: overlays,
      }),
    ]),
    vyosPki(
      rootKeys,
      { [VYOS_NAMES.uplinkClientCertificate]: leafKeys.uplinkClient, [VYOS_NAMES.clientServerCertificate]: leafKeys.clientServer },
      { [VYOS_NAMES.uplinkTlsCrypt]: rootKeys.uplinkTlsCrypt, [VYOS_NAMES.clientTlsCrypt]: rootKeys.clientTlsCrypt },
      withDh,
    ),
    node('protocols', [
      node('static', overlays.map((prefix) => tagNode('route', prefix, [tagNode('next-hop', root.uplinkServerAddress)]))),
    ]),
    ...(agentPort === undefined
      ? []
      : [vyosFirewall(leafFirewallPolicy(plan, leafNodeName, agentPort, options), [VYOS_NAMES.uplinkClientInterface, VYOS_NAMES.clientServerInterface])]),
  ]);
}
