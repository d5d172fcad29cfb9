// Names Raincoat gives its VyOS objects: the subtrees it owns on a router, and the references between them.
import { VYOS_FIREWALL_GROUP_PREFIX } from '../../../../src-shared/protocol/nodeFirewall.ts';

export const VYOS_NAMES = {
  ca: 'raincoat-ca',
  uplinkServerCertificate: 'raincoat-uplink-server',
  uplinkClientCertificate: 'raincoat-uplink-client',
  clientServerCertificate: 'raincoat-client-server',
  /** The uplink's tls-crypt key (a root's server, its leaves' clients). */
  uplinkTlsCrypt: 'raincoat-uplink-tls-crypt',
  /** The cloud's client servers' tls-crypt key (VyOS has no tls-crypt-v2). */
  clientTlsCrypt: 'raincoat-client-tls-crypt',
  dhParams: 'raincoat-ffdhe2048',
  /** Network groups of the firewall's forward rules: `raincoat-net-1`, … */
  firewallGroupPrefix: VYOS_FIREWALL_GROUP_PREFIX,
  /** Of the tunnel ends that keep their tunnels up (the lower root id). */
  ikeGroup: 'raincoat-ike',
  /** Of the other ends, which drop a tunnel whose peer is dead. */
  answeringIkeGroup: 'raincoat-ike-answer',
  espGroup: 'raincoat-esp',
  /** A root's OpenVPN server for its leaves' uplinks. */
  uplinkServerInterface: 'vtun10',
  /** A leaf's OpenVPN client to its root. */
  uplinkClientInterface: 'vtun10',
  /** A leaf's OpenVPN server for client VMs. */
  clientServerInterface: 'vtun11',
} as const;
