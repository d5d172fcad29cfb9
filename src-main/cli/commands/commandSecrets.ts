// How a command opens the overlay's kept keys: the passphrase from the environment, the sandbox's kept one, or the
// terminal; what it should know (an older plain keys file) said on stderr.
import { overlayUnlocker } from '../../core/secrets/overlayUnlocker.ts';
import { ON_THE_COMMAND_LINE } from '../../core/secrets/passphraseSources.ts';
import type { Unlocker } from '../../core/secrets/unlocker.ts';
import type { CliIo } from '../io.ts';

export const PASSPHRASE_USAGE = `The overlay's keys are kept sealed under a passphrase of their own (asked for twice before the first deploy):
it comes from $RAINCOAT_PASSPHRASE, else the sandbox's kept one (for the sandbox's own access file), else the terminal.`;

export interface SecretsDeps {
  env: NodeJS.ProcessEnv;
  /** The terminal to ask on, when stdin is one. */
  ask: () => ((prompt: string) => Promise<string>) | undefined;
}

/** `sandbox`: the overlay is the running sandbox's own (loadOverlay says). */
export function commandSecrets(command: string, io: CliIo, deps: SecretsDeps, sandbox: boolean): Unlocker {
  const ask = deps.ask();
  return overlayUnlocker({ env: deps.env, sandbox, otherwise: ON_THE_COMMAND_LINE, notice: (line) => io.err(`raincoat ${command}: ${line}`), ...(ask ? { ask } : {}) });
}
