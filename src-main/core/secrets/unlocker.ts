// Opens an administrator's vault once and keeps it open for the run (a command, or the application): by the vault
// already open, else the OS's store, else the passphrase, asked for only then. A wrong passphrase leaves nothing changed.
import type { ScryptCost, SealedEnvelope } from '../../../src-shared/secrets/sealedEnvelope.ts';
import type { OsBox } from './osBox.ts';
import { createVault, openWithBox, openWithPassphrase } from './vault.ts';
import type { Vault } from './vault.ts';

/** `open`: the passphrase of secrets that exist; `create`: a new one for the first secrets (asked twice on a terminal). */
export type PassphraseNeed = 'open' | 'create';

/** `from` says where it came from, for a message that says which passphrase was wrong (never the passphrase). */
export type PassphraseAnswer = { ok: true; passphrase: string; from: string } | { ok: false; message: string };
/** `person` false: only what needs nobody (the environment, a kept file), never a prompt. */
export type PassphraseSource = (need: PassphraseNeed, person: boolean) => Promise<PassphraseAnswer>;

export type Opened = { ok: true; vault: Vault } | { ok: false; message: string };

export interface UnlockerOptions {
  /** The OS's store, where there is one (the application's safeStorage). */
  box?: OsBox;
  passphrase: PassphraseSource;
  /** Where to say what the user should know and that stops nothing (stderr, for the command line). */
  notice(line: string): void;
  /** What a new passphrase wrap costs (tests make it cheap; what exists opens at its own cost). */
  cost?: ScryptCost;
}

export interface Unlocker {
  /** The vault that opens `envelope`; with `askPerson` false, only what opens it without asking anyone. */
  vaultFor(envelope: SealedEnvelope, purpose: string, askPerson?: boolean): Promise<Opened>;
  /**
   * The vault already open, else a new one under a new passphrase: for secrets sealed for the first time. With
   * `askPerson` false, only a passphrase that needs nobody (the environment, the sandbox's kept one).
   */
  newVault(askPerson?: boolean): Promise<Opened>;
  /**
   * The application's way in, once: the passphrase given opens `envelope` (or, with none, becomes the new passphrase)
   * and the vault stays open for the run; a wrong one says so and changes nothing.
   */
  unlockWith(passphrase: string, envelope: { envelope: SealedEnvelope; purpose: string } | undefined): Promise<Opened>;
  notice(line: string): void;
}

export const MIN_PASSPHRASE_LENGTH = 12;
const MAX_PASSPHRASE_LENGTH = 1024;

export function createUnlocker(options: UnlockerOptions): Unlocker {
  const { box } = options;
  let open: Vault | undefined;
  const kept = (vault: Vault): Opened => ((open = vault), { ok: true, vault });

  const withPassphrase = async (envelope: SealedEnvelope, purpose: string, passphrase: string, from: string): Promise<Opened> => {
    const unsealed = await openWithPassphrase(envelope, purpose, passphrase, box);
    if (unsealed.ok) return kept(unsealed.vault);
    return {
      ok: false,
      message:
        unsealed.why === 'wrong-passphrase'
          ? `wrong passphrase (the one ${from}): it does not open these secrets; nothing was changed`
          : 'the passphrase opens the data key, but the sealed data does not authenticate: it was changed or damaged; nothing was changed',
    };
  };

  const created = async (passphrase: string, from: string): Promise<Opened> => {
    const problem = passphraseProblem(passphrase);
    if (problem !== undefined) return { ok: false, message: `the new passphrase (the one ${from}) ${problem}; nothing was changed` };
    return kept(await createVault(passphrase, box, options.cost));
  };

  return {
    async vaultFor(envelope, purpose, askPerson = true) {
      if (open?.holds(envelope)) return { ok: true, vault: open };
      const byBox = box && (await openWithBox(envelope, purpose, box));
      if (byBox) return kept(byBox);
      const answer = await options.passphrase('open', askPerson);
      return answer.ok ? withPassphrase(envelope, purpose, answer.passphrase, answer.from) : answer;
    },
    async newVault(askPerson = true) {
      if (open) return { ok: true, vault: open };
      const answer = await options.passphrase('create', askPerson);
      return answer.ok ? created(answer.passphrase, answer.from) : answer;
    },
    unlockWith: (passphrase, sealed) => (sealed ? withPassphrase(sealed.envelope, sealed.purpose, passphrase, 'given') : created(passphrase, 'given')),
    notice: (line) => options.notice(line),
  };
}

/** Why a new passphrase will not do, or undefined: it guards every key of the overlay, also on every root. */
function passphraseProblem(passphrase: string): string | undefined {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return `must have at least ${MIN_PASSPHRASE_LENGTH} characters`;
  if (passphrase.length > MAX_PASSPHRASE_LENGTH) return `must have at most ${MAX_PASSPHRASE_LENGTH} characters`;
  return undefined;
}
