// A root router's VyOS configuration: IPsec peers for its tunnels, the OpenVPN server for its leaves, PKI, routes.
import type { AddressPlan } from '../../../../src-shared/plan/planAddresses.ts';
import type { OverlayKeys } from '../../pki/keyTypes.ts';
import { configTree, leaf, node, tagNode, type ConfigNode } from '../configTree.ts';
import { commonName, isEcKey, leafKeysOf, rootKeysOf } from '../keyMaterial.ts';
import { rootOf, rootTunnelEnds } from '../overlayFacts.ts';
import { agentPortOf, type RenderOptions } from '../renderOptions.ts';
import { rootFirewallPolicy } from '../firewallPolicy.ts';
import { vyosFirewall } from './vyosFirewall.ts';
import { vyosIpsec } from './vyosIpsec.ts';
import { VYOS_NAMES } from './vyosNames.ts';
import { vyosOpenvpnServer } from './vyosOpenvpn.ts';
import { vyosPki } from './vyosPki.ts';

/**
 * The root's configuration tree. Leaves reach the root's uplink server with pinned addresses; each leaf's
 * client subnet is routed to it. The root's own /16 is blackholed at the lowest preference, so a packet for
 * a part of the overlay that is not up never leaks to the internet in the clear.
 */
export function renderRootVyos(plan: AddressPlan, rootId: number, keys: OverlayKeys, options: RenderOptions = {}): ConfigNode {
  const root = rootOf(plan, rootId);
  const rootKeys = rootKeysOf(keys, rootId);
  const agentPort = agentPortOf(options, root.nodeName);
  const version = options.vyosVersion ?? '1.4';
  const withDh = !isEcKey(rootKeys.uplinkServer.keyPem);
  const ipsec = vyosIpsec(rootTunnelEnds(plan, rootId, keys, options));
  return configTree([
    node('interfaces', [
      vyosOpenvpnServer({
        ifname: VYOS_NAMES.uplinkServerInterface,
        description: `Raincoat ${root.nodeName} (${root.name}): uplinks of its leaves`,
        version,
        subnet: root.uplinkSubnet,
        certificate: VYOS_NAMES.uplinkServerCertificate,
        cryptKey: VYOS_NAMES.uplinkTlsCrypt,
        withDh,
        clients: root.leaves.map((l) => ({
          commonName: commonName(leafKeysOf(keys, l.nodeName).uplinkClient.certPem),
          ip: l.uplinkAddress,
          subnet: l.clientSubnet,
        })),
      }),
    ]),
    vyosPki(rootKeys, { [VYOS_NAMES.uplinkServerCertificate]: rootKeys.uplinkServer }, { [VYOS_NAMES.uplinkTlsCrypt]: rootKeys.uplinkTlsCrypt }, withDh),
    node('protocols', [
      node('static', [
        tagNode('route', root.overlay, [node('blackhole', [leaf('distance', '254')])]),
        ...root.leaves.map((l) => tagNode('route', l.clientSubnet, [tagNode('next-hop', l.uplinkAddress)])),
      ]),
    ]),
    ...(ipsec ? [ipsec] : []),
    ...(agentPort === undefined ? [] : [vyosFirewall(rootFirewallPolicy(plan, rootId, agentPort), [VYOS_NAMES.uplinkServerInterface])]),
  ]);
}
