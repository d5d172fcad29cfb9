// Where a command gets the administrator's password (and a new one), in order: the environment, the sandbox's kept file,
// the terminal. Never printed; a missing source is a message saying which ones there are.
import { readFile } from 'node:fs/promises';
import { cannotReadReason } from '../../../src-shared/validation/cannotReadReason.ts';

export interface PasswordSources {
  env: NodeJS.ProcessEnv;
  /** The sandbox's kept password: undefined when there is none (or the overlay is not the sandbox). */
  readKept: () => Promise<string | undefined>;
  /** Asks on the terminal without echo; absent when stdin is not a terminal. */
  ask?: (prompt: string) => Promise<string>;
}

export type PasswordFrom = 'environment' | 'sandbox' | 'terminal';
export type Password = { ok: true; password: string; from: PasswordFrom } | { ok: false; message: string };

export const PASSWORD_VARIABLE = 'RAINCOAT_PASSWORD';
export const NEW_PASSWORD_VARIABLE = 'RAINCOAT_NEW_PASSWORD';

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

/** The kept password file's content without its line end; undefined when there is no such file. */
export async function readKeptPassword(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot read the sandbox's administrator password: ${cannotReadReason(error)}`, { cause: error });
  }
}
