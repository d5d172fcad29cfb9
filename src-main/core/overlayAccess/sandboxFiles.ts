// Where the running sandbox keeps, for the command line, its overlay's access file, its administrator's password and
// the passphrase of its keys.
import { join } from 'node:path';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import { sandboxDir } from '../sandbox/sandboxDir.ts';

/** The access file commands read when not given `--access`: the running sandbox's. */
export function defaultAccessFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(sandboxDir(env), SANDBOX_FILES.access);
}

/** The sandbox administrator's password (mode 0600): a sandbox on the user's own machine, for commands to log in with. */
export function keptPasswordFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(sandboxDir(env), SANDBOX_FILES.password);
}

/** The passphrase of the sandbox overlay's keys (mode 0600): a demonstration on the user's own machine, like its password. */
export function keptPassphraseFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(sandboxDir(env), SANDBOX_FILES.passphrase);
}
