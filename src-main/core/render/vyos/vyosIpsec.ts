// The VyOS `vpn ipsec` subtree of a root: one IKEv2 pre-shared-secret site-to-site peer per root tunnel, a `tunnel N` per traffic selector.
import { leaf, node, tagNode, type ConfigNode } from '../configTree.ts';
import {
  DPD_INTERVAL_SECONDS,
  DPD_TIMEOUT_SECONDS,
  ESP_LIFETIME_SECONDS,
  ESP_PFS_GROUP,
  ESP_PROPOSALS,
  IKE_LIFETIME_SECONDS,
  IKE_PROPOSALS,
  tunnelEndRole,
} from '../ipsecPolicy.ts';
import type { TunnelEnd } from '../overlayFacts.ts';
import { VYOS_NAMES } from './vyosNames.ts';

/** The IKE group of the ends that keep their tunnels up, or of the other ends (tunnelEndRole). */
function ikeGroupName(keepsTunnelUp: boolean): string {
  return keepsTunnelUp ? VYOS_NAMES.ikeGroup : VYOS_NAMES.answeringIkeGroup;
}

/**
 * VyOS sets the dead-peer action per IKE group, so the two roles of a tunnel end get a group each. VyOS has no
 * `unique` or `keyingtries` option: every `initiate` peer retries forever, and duplicate SAs from crossed starts stay.
 */
function ikeGroup(keepsTunnelUp: boolean): ConfigNode {
  return tagNode('ike-group', ikeGroupName(keepsTunnelUp), [
    // As on Linux: a peer's DELETE is not answered by a restart (the peer starts the tunnel again itself).
    leaf('close-action', 'none'),
    leaf('key-exchange', 'ikev2'),
    leaf('lifetime', String(IKE_LIFETIME_SECONDS)),
    node('dead-peer-detection', [
      leaf('action', tunnelEndRole(keepsTunnelUp).dpdAction),
      leaf('interval', String(DPD_INTERVAL_SECONDS)),
      leaf('timeout', String(DPD_TIMEOUT_SECONDS)),
    ]),
    ...IKE_PROPOSALS.map((p, i) =>
      tagNode('proposal', String(i + 1), [
        leaf('encryption', p.encryption),
        leaf('hash', p.hash),
        leaf('prf', p.prf),
        leaf('dh-group', String(p.dhGroup)),
      ]),
    ),
  ]);
}

function espGroup(): ConfigNode {
  return tagNode('esp-group', VYOS_NAMES.espGroup, [
    leaf('mode', 'tunnel'),
    leaf('lifetime', String(ESP_LIFETIME_SECONDS)),
    leaf('pfs', `dh-group${ESP_PFS_GROUP}`),
    ...ESP_PROPOSALS.map((p, i) => tagNode('proposal', String(i + 1), [leaf('encryption', p.encryption), leaf('hash', p.hash)])),
  ]);
}

function peer(end: TunnelEnd): ConfigNode {
  return tagNode('peer', end.tunnel.name, [
    leaf('description', `Raincoat tunnel to ${end.peer.nodeName} (${end.peer.name})`),
    node('authentication', [leaf('mode', 'pre-shared-secret'), leaf('local-id', end.localId), leaf('remote-id', end.remoteId)]),
    // Both ends start the tunnel as they load it (tunnelEndRole): only the one that loads last finds its peer ready.
    leaf('connection-type', 'initiate'),
    leaf('ike-group', ikeGroupName(end.keepsTunnelUp)),
    leaf('default-esp-group', VYOS_NAMES.espGroup),
    // NAT traversal needs nothing more: strongSwan detects the NAT and moves to UDP 4500 by itself.
    leaf('local-address', end.localAddress ?? 'any'),
    leaf('remote-address', end.remoteAddress),
    // One tunnel per traffic selector (routesOf): the same numbers, in the same order, at both ends.
    ...end.selectors.map((s, i) => tagNode('tunnel', String(i + 1), [node('local', [leaf('prefix', s.local)]), node('remote', [leaf('prefix', s.remote)])])),
  ]);
}

/**
 * `vpn ipsec` for a root's tunnels; undefined when it has none. No `vpn ipsec interface`: VyOS 1.4/1.5 need it
 * only without `local-address` (every peer here has one, `any` on a NATed root), and it would restrict charon
 * (`interfaces_use`) to that interface and fail the commit where no interface has that name.
 */
export function vyosIpsec(ends: readonly TunnelEnd[]): ConfigNode | undefined {
  if (ends.length === 0) return undefined;
  return node('vpn', [
    node('ipsec', [
      ...[true, false].filter((keeps) => ends.some((end) => end.keepsTunnelUp === keeps)).map((keeps) => ikeGroup(keeps)),
      espGroup(),
      node('authentication', ends.map((end) => tagNode('psk', end.tunnel.name, [leaf('id', [end.localId, end.remoteId]), leaf('secret', end.psk)]))),
      node('site-to-site', ends.map(peer)),
    ]),
  ]);
}
