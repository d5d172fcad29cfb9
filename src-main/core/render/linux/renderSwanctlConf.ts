// strongSwan `swanctl.conf` for a root on the `linux` backend: one IKEv2 PSK connection and secret per root tunnel, a child per traffic selector.
import type { AddressPlan } from '../../../../src-shared/plan/planAddresses.ts';
import type { OverlayKeys } from '../../pki/keyTypes.ts';
import { DPD_INTERVAL_SECONDS, ESP_LIFETIME_SECONDS, IKE_LIFETIME_SECONDS, swanctlEspProposals, swanctlIkeProposals, tunnelEndRole } from '../ipsecPolicy.ts';
import { rootOf, rootTunnelEnds, type EndSelector, type TunnelEnd } from '../overlayFacts.ts';
import type { RenderOptions } from '../renderOptions.ts';
import { assertPrintable } from '../assertPrintable.ts';

/** A swanctl value: bare when it is one safe token (and not forced), else double-quoted (strongSwan's settings syntax). */
function value(text: string, forceQuotes = false): string {
  assertPrintable(text, 'swanctl');
  if (!forceQuotes && /^[A-Za-z0-9_.:/%-]+$/.test(text)) return text;
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function connection(end: TunnelEnd): string[] {
  const name = end.tunnel.name;
  const role = tunnelEndRole(end.keepsTunnelUp);
  // NAT traversal is automatic (NAT-D detects the NAT and IKE moves to UDP 4500); identities are the internet
  // addresses on both ends, which the NAT does not change, and a NATed root binds to any local address.
  return [
    `    ${name} {`,
    '        version = 2',
    `        local_addrs = ${value(end.localAddress ?? '%any')}`,
    `        remote_addrs = ${value(end.remoteAddress)}`,
    `        proposals = ${swanctlIkeProposals()}`,
    `        rekey_time = ${IKE_LIFETIME_SECONDS}s`,
    `        dpd_delay = ${DPD_INTERVAL_SECONDS}s`,
    // Both ends start the tunnel, so both may build an IKE_SA when their attempts cross: the end that answers the
    // second one deletes the first (after strongSwan's 10 s grace for a reauthentication).
    '        unique = replace',
    // The keeping end tries a silent peer (down, unreachable) again until it answers.
    ...(role.retriesForever ? ['        keyingtries = 0'] : []),
    '        local {',
    '            auth = psk',
    `            id = ${value(end.localId)}`,
    '        }',
    '        remote {',
    '            auth = psk',
    `            id = ${value(end.remoteId)}`,
    '        }',
    '        children {',
    ...end.selectors.flatMap((selector, i) => child(end, childName(name, i), selector)),
    '        }',
    '    }',
  ];
}

/** A tunnel's first child is named as the tunnel, the others `<tunnel>-t2`, `-t3`, … (the order of its selectors, as VyOS numbers them). */
function childName(tunnel: string, index: number): string {
  return index === 0 ? tunnel : `${tunnel}-t${index + 1}`;
}

/** A swanctl list of traffic selectors: comma-separated, each a bare prefix. */
function list(prefixes: readonly string[]): string {
  return prefixes.map((p) => value(p)).join(', ');
}

/** One CHILD_SA of a tunnel: one traffic selector, its traffic both ways. */
function child(end: TunnelEnd, name: string, selector: EndSelector): string[] {
  const role = tunnelEndRole(end.keepsTunnelUp);
  return [
    `            ${name} {`,
    `                local_ts = ${list(selector.local)}`,
    `                remote_ts = ${list(selector.remote)}`,
    `                esp_proposals = ${swanctlEspProposals()}`,
    `                rekey_time = ${ESP_LIFETIME_SECONDS}s`,
    // Started on load at both ends (see tunnelEndRole); the end that does not keep the tunnel up also traps its traffic
    // meanwhile, so that none leaves in the clear.
    `                start_action = ${end.keepsTunnelUp ? 'start' : 'trap|start'}`,
    `                dpd_action = ${role.dpdAction}`,
    // Not restarted on the peer's DELETE: that is how the peer removes a duplicate, and a peer that closes the tunnel
    // on purpose (its configuration gone or replaced) starts it again itself when it loads the new one.
    '                close_action = none',
    '            }',
  ];
}

function secret(end: TunnelEnd): string[] {
  return [
    `    ike-${end.tunnel.name} {`,
    `        id-local = ${value(end.localId)}`,
    `        id-remote = ${value(end.remoteId)}`,
    `        secret = ${value(end.psk, true)}`,
    '    }',
  ];
}

/** The root's swanctl.conf (it holds the tunnels' pre-shared keys: write it with mode 0600). */
export function renderSwanctlConf(plan: AddressPlan, rootId: number, keys: OverlayKeys, options: RenderOptions = {}): string {
  const root = rootOf(plan, rootId);
  const ends = rootTunnelEnds(plan, rootId, keys, options);
  const lines = [
    `# Raincoat ${root.nodeName}: IPsec tunnels to its peer roots`.replace(/[\r\n]+/g, ' '),
    'connections {',
    ...ends.flatMap(connection),
    '}',
    'secrets {',
    ...ends.flatMap(secret),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}
