// What the key hygiene commands (rotate-psk, revoke) share: their arguments read, the overlay named by --access, the
// kept keys of its state folder (--state, as deploy finds it) edited, and one line saying what the next deploy does.
import type { Edited, KeptKeysAt } from '../../core/keyHygiene/editKeptKeys.ts';
import { appStateDir, overlayStateDir } from '../../core/deployRun/overlayState.ts';
import { loadOverlay } from '../../core/overlayAccess/loadOverlay.ts';
import { terminalAsker } from '../../core/overlayAccess/askHidden.ts';
import { EXIT } from '../io.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { commandSecrets, PASSPHRASE_USAGE } from './commandSecrets.ts';
import type { SecretsDeps } from './commandSecrets.ts';

/** What the commands take from the process, injected for tests. */
export interface KeptKeysDeps extends SecretsDeps {
  now: () => number;
}

export const processKeptKeysDeps: KeptKeysDeps = { env: process.env, ask: terminalAsker, now: Date.now };

export const KEPT_KEYS_USAGE = `  --access FILE    the overlay's access file, which names the overlay (default: the running sandbox's)
  --state DIR      the application's state folder that deploy uses (default $XDG_STATE_HOME/raincoat, else
                   ~/.local/state/raincoat)
${PASSPHRASE_USAGE}`;

export interface KeptKeysAction<T, R> extends Omit<Command, 'run'> {
  /** How many arguments the command takes. */
  arguments: number;
  /** What the arguments name, or why they name nothing (a usage problem). */
  target(args: readonly string[]): { ok: true; target: T } | { ok: false; message: string };
  edit(at: KeptKeysAt, target: T, now: () => number): Promise<Edited<R>>;
  /** The line that says what was done and what the next deploy does. */
  done(result: R, target: T): string;
}

export function keptKeysCommand<T, R>(action: KeptKeysAction<T, R>, deps: KeptKeysDeps): Command {
  const { name, summary, usage } = action;
  const command: Command = {
    name,
    summary,
    usage,
    async run(args, io) {
      const parsed = parseCommandArgs(command, args, { access: { type: 'string' }, state: { type: 'string' } }, { atMost: action.arguments }, io);
      if (typeof parsed === 'number') return parsed;
      const say = (message: string) => io.err(`raincoat ${name}: ${message}`);
      const target = action.target(parsed.positionals);
      if (!target.ok) return (say(`${target.message}\n\n${usage}`), EXIT.usage);
      const { access: accessFile, state } = parsed.values;
      const overlay = await loadOverlay({ ...(typeof accessFile === 'string' ? { accessFile } : {}), env: deps.env });
      if (!overlay.ok) return (say(overlay.message), EXIT.usage);
      const stateDir = overlayStateDir(typeof state === 'string' ? state : appStateDir(deps.env), overlay.access);
      const edited = await action.edit({ stateDir, secrets: commandSecrets(name, io, deps, overlay.sandbox) }, target.target, deps.now);
      if (!edited.ok) return (say(`${overlay.access.name}: ${edited.reason}`), EXIT.invalid);
      io.out(action.done(edited.result, target.target));
      return EXIT.ok;
    },
  };
  return command;
}
