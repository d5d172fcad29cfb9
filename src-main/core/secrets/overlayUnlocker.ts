// The unlocker of one overlay's secrets, for a command or the application: the OS store where there is one, else the
// passphrase from the environment, the sandbox's kept file (for the sandbox's own overlay only), or whoever can be asked.
import { readTextIfExists } from '../../../src-node/atomicFile.ts';
import { cannotReadReason } from '../../../src-shared/validation/cannotReadReason.ts';
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
  const readKept = options.sandbox ? () => readKeptPassphrase(file) : async () => undefined;
  return createUnlocker({
    ...(options.box ? { box: options.box } : {}),
    notice: options.notice,
    passphrase: passphraseFrom({ env: options.env, readKept, otherwise: options.otherwise, ...(options.ask ? { ask: options.ask } : {}) }),
  });
}

/** The kept file's passphrase without its line end; undefined when there is no such file. */
async function readKeptPassphrase(file: string): Promise<string | undefined> {
  const text = await readTextIfExists(file).catch((error: unknown) => {
    throw new Error(`${file}: cannot read the sandbox's passphrase: ${cannotReadReason(error)}`, { cause: error });
  });
  return text?.replace(/\r?\n$/, '');
}
