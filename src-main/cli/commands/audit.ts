// `raincoat audit [--json] [--since TIME] [--limit N]`: the overlay's audit trail as its entry root keeps it for every
// root, read in a session of its own (logged in and out as status is).
import { AUDIT_READ_MAX } from '../../../src-shared/protocol/audit.ts';
import { count } from '../../../src-shared/text/count.ts';
import { parseSince } from '../../core/audit/auditSince.ts';
import { AUDIT_COLUMNS, auditRow } from '../../../src-shared/audit/auditText.ts';
import { EXIT } from '../io.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { formatTable } from './formatTable.ts';
import { processDeps, SESSION_OPTIONS, SESSION_USAGE, withSession } from './sessionCommand.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';

const DEFAULT_LIMIT = 50;

export function createAuditCommand(deps: SessionCommandDeps): Command {
  return {
    name: 'audit',
    summary: 'who logged in (or was refused), deployed, rotated and revoked what, when and from where',
    usage: `Usage: raincoat audit [--access FILE] [--user USER] [--json] [--since TIME] [--limit N]

Logs in at the overlay's entry root, reads the overlay's audit trail as that root keeps it for every root, and logs
out: every login (and every refused one, with the name tried), lock change, logout, session expiry, deploy (its plan,
its post and confirmation, each node's outcome), pre-shared key rotation and certificate revocation, each with its
time (on the clock of the root that recorded it), the root, the administrator and the address the request came from;
oldest first. The command's own login is in it too, as the last entries.
${SESSION_USAGE}
  --since TIME     entries from TIME on: an ISO 8601 date or time (2026-12-08, 2026-12-08T10:00Z; without an
                   offset, local time) or a duration back from now (90s, 30m, 12h, 7d)
  --limit N        the newest N of them (default ${DEFAULT_LIMIT}, at most ${AUDIT_READ_MAX})
  --json           {"node", "entries": [{"id", "at", "root", "user", "address", "event": {"kind", …}}], "omitted"}
                   as the entry root answers: "at" epoch ms, "root" a root id, "user" and "address" absent where
                   the root itself did it, "omitted" how many older entries --limit left out
Exit 0 when the trail was read; 1 when the login or the read is refused; 2 for a usage problem, or when the overlay
or a password cannot be found.`,
    async run(args, io) {
      const parsed = parseCommandArgs(this, args, { ...SESSION_OPTIONS, json: { type: 'boolean' }, since: { type: 'string' }, limit: { type: 'string' } }, 0, io);
      if (typeof parsed === 'number') return parsed;
      const say = (message: string) => io.err(`raincoat audit: ${message}`);
      const { since, limit: limitText } = parsed.values;
      const from = typeof since === 'string' ? parseSince(since, deps.now()) : undefined;
      if (from && !from.ok) return (say(`--since: ${from.message}`), EXIT.usage);
      const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= AUDIT_READ_MAX)) return (say(`--limit: expected a whole number from 1 to ${AUDIT_READ_MAX}, found ${JSON.stringify(limitText)}`), EXIT.usage);

      return withSession(this.name, io, deps, { values: parsed.values }, async (session) => {
        const read = await session.api.readAudit({ limit, ...(from ? { since: from.at } : {}) });
        if (!read.ok) return (say(`${session.entry} did not give its audit trail: ${read.reason}`), EXIT.invalid);
        const { node, entries, omitted } = read.answer;
        if (parsed.values.json) io.out(JSON.stringify(read.answer, null, 2));
        else {
          const older = omitted === 0 ? '' : ` (${count(omitted, 'older entry', 'older entries')} left out: --limit)`;
          io.out([`the audit trail as ${node} keeps it${older}:`, formatTable(AUDIT_COLUMNS, entries.map(auditRow))].join('\n'));
        }
        return EXIT.ok;
      });
    },
  };
}

export const auditCommand = createAuditCommand(processDeps);
