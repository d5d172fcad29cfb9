// OpenVPN on the linux backend dropping root once started (RenderOptions.openvpnUser): the user and group, and for a
// server a chroot jail under the node's folder holding only what it reads afterwards, which that user must own.
import type { RenderOptions } from '../renderOptions.ts';
import { directive, type OpenvpnDirective } from './openvpnConfig.ts';

export type OpenvpnServerRole = 'uplink-server' | 'client-server';

/**
 * A server's jail, relative to the node's folder: its CRL (`crl.pem`, read again whenever it changes, so a revocation
 * applies to the next connection) and, for the uplink server, its client-config-dir (`ccd/`, read at each connection).
 * Everything else (keys, certificates, the tun device) is opened as root before the drop and kept (persist-key, persist-tun).
 */
export function jailOf(role: OpenvpnServerRole): string {
  return `jail/${role}`;
}

/** The CRL and client-config-dir as a jailed server names them: inside the jail, which is its root. */
export const JAILED = { crl: 'crl.pem', ccd: 'ccd' } as const;

/** `user`, `group` and, for a server, `chroot` into its jail; nothing when the options keep OpenVPN as root. */
export function privilegeDrop(options: RenderOptions, baseDir: string, role?: OpenvpnServerRole): OpenvpnDirective[] {
  const drop = options.openvpnUser;
  if (!drop) return [];
  return [
    directive('user', drop.user),
    directive('group', drop.group),
    // OpenVPN resolves crl-verify, client-config-dir and tmp-dir inside the jail; its default tmp-dir (/tmp) is not there.
    ...(role ? [directive('chroot', `${baseDir}/${jailOf(role)}`), directive('tmp-dir', '.')] : []),
  ];
}
