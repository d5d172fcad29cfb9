// `raincoat login [--access FILE] [--user USER] [--new-password]`: checks the credentials (or changes the password) by
// logging in and out, telling each root's acknowledgement of the administrator lock as it arrives.
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { processDeps, SESSION_OPTIONS, SESSION_USAGE, withSession } from './sessionCommand.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';
import { EXIT } from '../io.ts';

export function createLoginCommand(deps: SessionCommandDeps): Command {
  return {
    name: 'login',
    summary: 'log in to an overlay to check the password or change it, then log out',
    usage: `Usage: raincoat login [ENTRY] [--access FILE] [--user USER] [--new-password]

Logs the administrator in at the overlay's entry root, prints each root's acknowledgement of the administrator lock
as it arrives, and logs out again. The command line keeps no session on disk: each command that needs one (status,
deploy) logs in and out by itself, so login is for checking the credentials and for changing the password.
ENTRY (the same as --entry): the root to log in at, by name (root-2) or agent address; by default the entry root.
  --new-password   set a new password: $RAINCOAT_NEW_PASSWORD, else typed twice on the terminal. Required at the first
                   login with the default password; on the sandbox, its kept password becomes the new one
${SESSION_USAGE}
Exit 0 once every live root acknowledged and the session ended; 1 when the login is refused (naming who holds the
lock, and at which root, when another administrator does); 2 when the overlay or a password cannot be found.`,
    async run(args, io) {
      const parsed = parseCommandArgs(this, args, { ...SESSION_OPTIONS, 'new-password': { type: 'boolean' } }, { atMost: 1 }, io);
      if (typeof parsed === 'number') return parsed;
      const entry = parsed.positionals[0];
      if (entry !== undefined && parsed.values.entry !== undefined) return (io.err('raincoat login: give the root either as ENTRY or as --entry, not both'), EXIT.usage);
      const values = entry === undefined ? parsed.values : { ...parsed.values, entry };
      return withSession(this.name, io, deps, { values, newPassword: parsed.values['new-password'] === true, progress: io.out }, async () => EXIT.ok);
    },
  };
}

export const loginCommand = createLoginCommand(processDeps);
