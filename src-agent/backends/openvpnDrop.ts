// Reads from an OpenVPN configuration whom it drops to once started (`user`, `group`) and the jail it chroots into: what
// the linux backend must make for it beforehand. Pure.

export interface OpenvpnDrop {
  user: string;
  /** Absent: OpenVPN keeps root's group. */
  group?: string;
  /** The `chroot` folder as written (absolute). */
  jail?: string;
}

/** Names useradd and groupadd take: a system account, never something a shell or chown would read otherwise. */
const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** The drop a configuration asks for, or undefined when it keeps root; throws on a name no account may have. */
export function openvpnDropOf(config: string): OpenvpnDrop | undefined {
  const found: Partial<Record<'user' | 'group' | 'chroot', string>> = {};
  for (const line of config.split('\n')) {
    const [directive, value, ...rest] = line.trim().split(/\s+/);
    if ((directive === 'user' || directive === 'group' || directive === 'chroot') && value !== undefined && rest.length === 0) found[directive] = value;
  }
  if (found.user === undefined) return undefined;
  for (const name of [found.user, found.group]) {
    if (name !== undefined && !ACCOUNT_NAME.test(name)) throw new Error(`OpenVPN would drop to ${JSON.stringify(name)}, which is no system account name`);
  }
  if (found.chroot !== undefined && !found.chroot.startsWith('/')) throw new Error(`OpenVPN's chroot ${JSON.stringify(found.chroot)} is not an absolute path`);
  return { user: found.user, ...(found.group === undefined ? {} : { group: found.group }), ...(found.chroot === undefined ? {} : { jail: found.chroot }) };
}
