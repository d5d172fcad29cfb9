// Where the sandbox overlay keeps its nodes, logs, kept password and access file: one rule for every command that needs it.
import { join, resolve } from 'node:path';
import { appStateDir } from '../deployRun/overlayState.ts';

/**
 * $RAINCOAT_SANDBOX_DIR, else $XDG_STATE_HOME/raincoat/sandbox, else ~/.local/state/raincoat/sandbox (XDG: state that
 * outlives a run but is not the user's documents); absolute, as the agents' folders in it must be.
 */
export function sandboxDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['RAINCOAT_SANDBOX_DIR'];
  if (explicit) return resolve(explicit);
  return join(appStateDir(env), 'sandbox');
}
