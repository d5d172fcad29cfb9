// Where the command line and the application get the passphrase of the overlay's secrets, in order: the environment,
// the sandbox's kept one, the terminal (typed twice for a new one); else a message saying how to give it. Never printed.
import type { PassphraseSource } from './unlocker.ts';

export const PASSPHRASE_VARIABLE = 'RAINCOAT_PASSPHRASE';

export interface PassphraseSources {
  env: NodeJS.ProcessEnv;
  /** The sandbox's kept passphrase: undefined when there is none (or the overlay is not the sandbox). */
  readKept: () => Promise<string | undefined>;
  /** Asks on the terminal without echo; absent when stdin is not a terminal. */
  ask?: (prompt: string) => Promise<string>;
  /** How else the user can give it, said when no source has one (the application: its own prompt). */
  otherwise: string;
}

/** The command line's `otherwise`. */
export const ON_THE_COMMAND_LINE = `set ${PASSPHRASE_VARIABLE}, or run the command on a terminal to be asked for it`;

export function passphraseFrom(sources: PassphraseSources): PassphraseSource {
  return async (need, person) => {
    const fromEnv = sources.env[PASSPHRASE_VARIABLE];
    if (fromEnv) return { ok: true, passphrase: fromEnv, from: `from ${PASSPHRASE_VARIABLE}` };
    const kept = await sources.readKept();
    if (kept) return { ok: true, passphrase: kept, from: 'kept for the sandbox' };
    const ask = person ? sources.ask : undefined;
    const what = need === 'create' ? "a new passphrase for the overlay's keys" : "the passphrase of the overlay's keys";
    if (!ask) return { ok: false, message: `no passphrase: ${what} is needed; ${sources.otherwise}` };
    if (need === 'open') return typed(await ask("Passphrase of the overlay's keys: "));
    const first = await ask("New passphrase for the overlay's keys (it also guards them on every root; keep it): ");
    const again = await ask('The new passphrase again: ');
    if (first !== again) return { ok: false, message: 'the two new passphrases differ; nothing was changed' };
    return typed(first);
  };
}

function typed(passphrase: string) {
  return passphrase ? { ok: true as const, passphrase, from: 'typed' } : { ok: false as const, message: 'no passphrase was typed; nothing was changed' };
}
