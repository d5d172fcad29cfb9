// `raincoat logout [--access FILE] [--user USER]`: the command line keeps no session to end, so logout checks that the
// overlay's administrator lock is free, by logging in and out, and says who holds it when it is not.
import { SESSION_IDLE_MS } from '../../core/session/expiry.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { processDeps, SESSION_OPTIONS, SESSION_USAGE, withSession } from './sessionCommand.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';
import { EXIT } from '../io.ts';

export function createLogoutCommand(deps: SessionCommandDeps): Command {
  return {
    name: 'logout',
    summary: 'check that no administrator session is left open on the overlay',
    usage: `Usage: raincoat logout [--access FILE] [--user USER]

The command line keeps no session: every command that logs in (login, status, deploy) logs out before it ends, and
no session token is ever written to disk. So there is nothing of this workstation's to end; logout checks that the
overlay's administrator lock is free, by logging in and out again.
A session whose command was killed cannot be ended from here (its token died with it): the entry root ends it after
${SESSION_IDLE_MS / 60_000} minutes without activity.
${SESSION_USAGE}
Exit 0 when the lock is free; 1 when an administrator holds it (naming them and the root); 2 when the overlay or a
password cannot be found.`,
    async run(args, io) {
      const parsed = parseCommandArgs(this, args, SESSION_OPTIONS, 0, io);
      if (typeof parsed === 'number') return parsed;
      return withSession(this.name, io, deps, { values: parsed.values }, async (session) => {
        io.out(`no session is open: the administrator lock is free (logged in at ${session.entry} to check, and out again)`);
        return EXIT.ok;
      });
    },
  };
}

export const logoutCommand = createLogoutCommand(processDeps);
