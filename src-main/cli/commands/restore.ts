// `raincoat restore`: a second workstation, or a new one after a lost laptop, gets the overlay's administrator state
// back from its roots: what was deployed and the keys, after their passphrase. The core's fetchAdminState and
// restoreAdminState do the work.
import type { KeptAdminState } from '../../../src-shared/protocol/adminState.ts';
import { count } from '../../../src-shared/text/count.ts';
import { fetchAdminState } from '../../core/adminState/fetchAdminState.ts';
import { restoreAdminState } from '../../core/adminState/restoreAdminState.ts';
import { EXIT } from '../io.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { commandSecrets, PASSPHRASE_USAGE } from './commandSecrets.ts';
import { overlayDirOf, STATE_OPTION } from './stateOption.ts';
import { processDeps, SESSION_OPTIONS, SESSION_USAGE, withSession } from './sessionCommand.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';

const USAGE = `Usage: raincoat restore [--access FILE] [--entry ROOT] [--state DIR] [--force] [options]

Gets this machine's state of the overlay back from its roots, as a second workstation (or a new one after a lost
laptop) needs it: logs in at the overlay's entry root (or ROOT: every root keeps the state), reads the administrator
state the last deploy left on every root, logs out, asks for the passphrase of the overlay's keys, checks that it
opens them, and writes the overlay's folder in the state folder: the keys (sealed again, mode 0600), what was
deployed (the next deploy's plan diffs against it) and the pending topology (the deployed one). A wrong passphrase
writes nothing. A state of the overlay this machine keeps that differs (another topology deployed from here, keys
changed or under another passphrase, pending changes, a deploy not settled) is left as it is, and what differs said,
unless --force.
Options:
${SESSION_USAGE}
  --state DIR      the application's state folder (default $XDG_STATE_HOME/raincoat, else ~/.local/state/raincoat)
  --force          replace a state of the overlay here that differs; the files replaced are kept as FILE.replaced-TIME
${PASSPHRASE_USAGE}
Exit 0 when restored, or when this machine had that very state already; 1 when the roots keep none, the passphrase
does not open the keys, a state here differs, or the login is refused; 2 for a usage problem.`;

export function createRestoreCommand(deps: SessionCommandDeps): Command {
  return {
    name: 'restore',
    summary: "get the overlay's deployed topology and keys back from its roots (a new workstation)",
    usage: USAGE,
    async run(args, io) {
      const parsed = parseCommandArgs(this, args, { ...SESSION_OPTIONS, ...STATE_OPTION, force: { type: 'boolean' } }, 0, io);
      if (typeof parsed === 'number') return parsed;
      const say = (message: string) => io.err(`raincoat restore: ${message}`);

      // Read in a session, and restored after its logout: the lock is not held while the passphrase is typed.
      let read: { kept: KeptAdminState; overlayDir: string; sandbox: boolean } | undefined;
      const code = await withSession(this.name, io, deps, { values: parsed.values }, async (session, access, overlay) => {
        const fetched = await fetchAdminState(session.api);
        if (fetched.kind !== 'state') return (say(`${session.entry} keeps no administrator state to restore: ${fetched.reason}`), EXIT.invalid);
        const { head } = fetched;
        io.out(`${session.entry} keeps topology ${head.topologyId}, deployed at ${fetched.kept.state.deployedAt}, as root-${head.storedBy} took it at ${new Date(head.storedAt).toISOString()}`);
        read = { kept: fetched.kept, overlayDir: overlayDirOf(parsed.values, deps.env, access), sandbox: overlay.sandbox };
        return EXIT.ok;
      });
      if (code !== EXIT.ok || read === undefined) return code;

      const restored = await restoreAdminState({
        kept: read.kept,
        overlayDir: read.overlayDir,
        secrets: commandSecrets(this.name, io, deps, read.sandbox),
        force: parsed.values.force === true,
        now: deps.now,
      });
      switch (restored.kind) {
        case 'refused':
          for (const problem of restored.problems) say(problem);
          return EXIT.invalid;
        case 'same':
          io.out(`${read.overlayDir} has that state already: nothing was written`);
          return EXIT.ok;
        case 'restored': {
          for (const aside of restored.setAside) io.out(`kept aside ${aside}`);
          const nodes = count(Object.keys(restored.record.nodes).length, 'node');
          io.out(`restored ${read.overlayDir}: the keys (sealed), what ${nodes} run, and the pending topology (${count(restored.record.topology.roots.length, 'root')}, the deployed one)`);
          return EXIT.ok;
        }
      }
    },
  };
}

export const restoreCommand = createRestoreCommand(processDeps);
