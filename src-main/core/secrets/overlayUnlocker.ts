// The unlocker of one overlay's secrets, for a command or the application: the OS store where there is one, else the
// passphrase from the environment, the sandbox's kept file (for the sandbox's own overlay only), or whoever can be asked.
import { readKeptPassword } from '../overlayAccess/adminPassword.ts';
import { keptPassphraseFile } from '../overlayAccess/sandboxFiles.ts';
import type { OsBox } from './osBox.ts';
import { passphraseFrom } from './passphraseSources.ts';
import { createUnlocker } from './unlocker.ts';
import type { Unlocker } from './unlocker.ts';

export interface OverlayUnlockerOptions {
  env: NodeJS.ProcessEnv;
  /** True for the running sandbox's own overlay (loadOverlay says): its kept passphrase is then a source. */
  sandbox: boolean;
  /** Asks on the terminal without echo; absent when there is none. */
  ask?: (prompt: string) => Promise<string>;
  /** How else the user gives the passphrase, said when there is none (ON_THE_COMMAND_LINE, or the application's way). */
  otherwise: string;
  box?: OsBox;
  notice(line: string): void;
}

export function overlayUnlocker(options: OverlayUnlockerOptions): Unlocker {
  const file = keptPassphraseFile(options.env);
  const readKept = options.sandbox ? () => readKeptPassword(file, "the sandbox's passphrase") : async () => undefined;
  return createUnlocker({
    ...(options.box ? { box: options.box } : {}),
    notice: options.notice,
    passphrase: passphraseFrom({ env: options.env, readKept, otherwise: options.otherwise, ...(options.ask ? { ask: options.ask } : {}) }),
  });
}
