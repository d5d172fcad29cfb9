// The files a running sandbox keeps for the command line: its overlay's access file and its administrator's password.
import { join } from 'node:path';
import { sandboxDir } from '../sandbox/sandboxDir.ts';

export const OVERLAY_ACCESS_FILE = 'overlay-access.json';
/** The sandbox administrator's password (mode 0600): a sandbox on the user's own machine, for commands to log in with. */
export const ADMIN_PASSWORD_FILE = 'admin-password';

/** The access file commands read when not given `--access`: the running sandbox's. */
export function defaultAccessFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(sandboxDir(env), OVERLAY_ACCESS_FILE);
}

export function keptPasswordFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(sandboxDir(env), ADMIN_PASSWORD_FILE);
}
