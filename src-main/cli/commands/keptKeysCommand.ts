// What the key hygiene commands (rotate-psk, revoke) share: their arguments read, a session at the overlay's entry root
// (--access, else the running sandbox's), the kept keys of its state folder (--state, as deploy finds it) edited, one
// line saying what the next deploy does, and the action recorded in the overlay's audit trail, by whom and from where.
import type { AuditNote } from '../../../src-shared/protocol/audit.ts';
import { recordAudit } from '../../core/audit/recordAudit.ts';
import type { Edited, KeptKeysAt } from '../../core/keyHygiene/editKeptKeys.ts';
import { EXIT } from '../io.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { commandSecrets, PASSPHRASE_USAGE } from './commandSecrets.ts';
import { overlayDirOf, STATE_OPTION } from './stateOption.ts';
import { processDeps, SESSION_OPTIONS, SESSION_USAGE, withSession } from './sessionCommand.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';

/** What the commands take from the process, injected for tests: a session's, since the action is recorded in one. */
export type KeptKeysDeps = SessionCommandDeps;

export const processKeptKeysDeps: KeptKeysDeps = processDeps;

export const KEPT_KEYS_USAGE = `${SESSION_USAGE}
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
  /** What the overlay's audit trail records of it. */
  audit(result: R, target: T): AuditNote;
}

export function keptKeysCommand<T, R>(action: KeptKeysAction<T, R>, deps: KeptKeysDeps): Command {
  const { name, summary, usage } = action;
  const command: Command = {
    name,
    summary,
    usage,
    async run(args, io) {
      const parsed = parseCommandArgs(command, args, { ...SESSION_OPTIONS, ...STATE_OPTION }, { atMost: action.arguments }, io);
      if (typeof parsed === 'number') return parsed;
      const say = (message: string) => io.err(`raincoat ${name}: ${message}`);
      const target = action.target(parsed.positionals);
      if (!target.ok) return (say(`${target.message}\n\n${usage}`), EXIT.usage);
      return withSession(name, io, deps, { values: parsed.values }, async (session, access, overlay) => {
        const stateDir = overlayDirOf(parsed.values, deps.env, access);
        const edited = await action.edit({ stateDir, secrets: commandSecrets(name, io, deps, overlay.sandbox) }, target.target, deps.now);
        if (!edited.ok) return (say(`${access.name}: ${edited.reason}`), EXIT.invalid);
        io.out(action.done(edited.result, target.target));
        const recorded = await recordAudit(session.api, [action.audit(edited.result, target.target)]);
        return recorded.ok ? EXIT.ok : (say(`done, but not recorded in the overlay's audit trail: ${recorded.reason}`), EXIT.invalid);
      });
    },
  };
  return command;
}
