// Where a command gets the administrator's password (and a new one), in order: the environment, the sandbox's kept file,
// the terminal. Never printed; a missing source is a message saying which ones there are.
import { readTextIfExists, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import { cannotReadReason } from '../../../src-shared/validation/cannotReadReason.ts';

export interface PasswordSources {
  env: NodeJS.ProcessEnv;
  /** The sandbox's kept password: undefined when there is none (or the overlay is not the sandbox). */
  readKept: () => Promise<string | undefined>;
  /** Asks on the terminal without echo; absent when stdin is not a terminal. */
  ask?: (prompt: string) => Promise<string>;
  /** Keeps a password set from the command line where the kept one was, so the sandbox's stays usable (the sandbox only). */
  keep?: (password: string) => Promise<void>;
}

export type PasswordFrom = 'environment' | 'sandbox' | 'terminal';
export type Password = { ok: true; password: string; from: PasswordFrom } | { ok: false; message: string };

const PASSWORD_VARIABLE = 'RAINCOAT_PASSWORD';
const NEW_PASSWORD_VARIABLE = 'RAINCOAT_NEW_PASSWORD';

export async function adminPassword(sources: PasswordSources): Promise<Password> {
  const fromEnv = sources.env[PASSWORD_VARIABLE];
  if (fromEnv) return { ok: true, password: fromEnv, from: 'environment' };
  const kept = await sources.readKept();
  if (kept) return { ok: true, password: kept, from: 'sandbox' };
  if (sources.ask) return typed(await sources.ask('Administrator password: '));
  return { ok: false, message: `no administrator password: set ${PASSWORD_VARIABLE}, or run the command on a terminal to be asked for it` };
}

/** The new password: from the environment, else typed twice on the terminal. */
export async function newAdminPassword(sources: Pick<PasswordSources, 'env' | 'ask'>): Promise<Password> {
  const fromEnv = sources.env[NEW_PASSWORD_VARIABLE];
  if (fromEnv) return { ok: true, password: fromEnv, from: 'environment' };
  if (!sources.ask) return { ok: false, message: `no new password: set ${NEW_PASSWORD_VARIABLE}, or run the command on a terminal to be asked for it` };
  const first = await sources.ask('New administrator password: ');
  const again = await sources.ask('The new password again: ');
  if (first !== again) return { ok: false, message: 'the two new passwords differ; nothing was changed' };
  return typed(first);
}

function typed(password: string): Password {
  return password ? { ok: true, password, from: 'terminal' } : { ok: false, message: 'no password was typed' };
}

/**
 * The kept password file's content without its line end; undefined when there is no such file. `what` names what it
 * keeps when it cannot be read: the sandbox's passphrase is kept the same way.
 */
export async function readKeptPassword(file: string, what = "the sandbox's administrator password"): Promise<string | undefined> {
  let text: string | null;
  try {
    text = await readTextIfExists(file);
  } catch (error) {
    throw new Error(`${file}: cannot read ${what}: ${cannotReadReason(error)}`, { cause: error });
  }
  return text === null ? undefined : text.replace(/\r?\n$/, '');
}

/** Replaces the kept password, readable by the user alone, atomically: a crash leaves the old one or the new one. */
export function keepPassword(file: string, password: string): Promise<void> {
  return writeFileAtomic(file, `${password}\n`, 0o600);
}
