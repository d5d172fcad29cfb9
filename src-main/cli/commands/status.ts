// `raincoat status [--access FILE] [--user USER] [--json]`: every root and leaf of the overlay as its entry root sees
// it, read in a session of its own (the application has no node certificate: a session is how it may ask).
import type { NodeStatusRow } from '../../core/overlayAccess/overlayStatus.ts';
import { overlayStatus } from '../../core/overlayAccess/overlayStatus.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { formatTable } from './formatTable.ts';
import { processDeps, SESSION_OPTIONS, SESSION_USAGE, withSession } from './sessionCommand.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';
import { EXIT } from '../io.ts';

export function createStatusCommand(deps: SessionCommandDeps): Command {
  return {
    name: 'status',
    summary: "every root and leaf: status, clients, last heartbeat, topology, a root's tunnels and why a node failed",
    usage: `Usage: raincoat status [--access FILE] [--user USER] [--json]

Logs in at the overlay's entry root, reads every node's status as that root sees it, and logs out: each root and
leaf with its status (pending, deploying, alive, down, failed), its connected clients, its last heartbeat, the
topology it runs, a root's tunnels by peer root and their states (up, connecting, down) and, for a failed node, why.
Clients and tunnels show where the node's backend measures them ("-" where it does not: dry-run nodes). As it logs
in, it fails while another administrator holds the lock, naming them.
${SESSION_USAGE}
  --json           {"nodes": [{"id", "kind", "name", "status", "lastHeartbeat", "topologyId"}]}: "kind" is "root" or
                   "leaf"; "name" the node's name (root-1, leaf-1-2); "id" a root's id (a number) or a leaf's
                   "<root id>-<n>" (a string, "1-2"); "lastHeartbeat" epoch ms on the entry root's clock, or null
                   when never heard; "topologyId" null before any deploy; "reason" only for a failed node;
                   "clientsConnected" where measured (a root's: its own and its leaves'); "tunnels" a root's
                   [{"peer": root id, "state": "up" | "connecting" | "down"}], where measured
Exit 0 when the status was read (whatever it says); 1 when the login or the read is refused; 2 when the overlay or
a password cannot be found.`,
    async run(args, io) {
      const parsed = parseCommandArgs(this, args, { ...SESSION_OPTIONS, json: { type: 'boolean' } }, 0, io);
      if (typeof parsed === 'number') return parsed;
      return withSession(this.name, io, deps, { values: parsed.values }, async (session, access) => {
        const read = await session.api.status();
        if (!read.ok) {
          io.err(`raincoat status: ${session.entry} did not give its status: ${read.reason}`);
          return EXIT.invalid;
        }
        const rows = overlayStatus(access, read.answer);
        io.out(parsed.values.json ? JSON.stringify({ nodes: rows }, null, 2) : formatStatus(rows, read.answer.node, read.answer.generatedAt));
        return EXIT.ok;
      });
    },
  };
}

export const statusCommand = createStatusCommand(processDeps);

/** A table (a root's tunnels as `<peer> <state>`), heartbeats as ages on the entry root's own clock (the one they were noted with), then why nodes failed. */
export function formatStatus(rows: readonly NodeStatusRow[], entry: string, at: number): string {
  const table = formatTable(
    ['node', 'kind', 'status', 'clients', 'last heartbeat', 'topology', 'tunnels'],
    rows.map((r) => [
      r.name,
      r.kind,
      r.status,
      r.clientsConnected === undefined ? '-' : String(r.clientsConnected),
      r.lastHeartbeat === null ? 'never' : age(at - r.lastHeartbeat),
      r.topologyId ?? '-',
      r.tunnels === undefined || r.tunnels.length === 0 ? '-' : r.tunnels.map((t) => `${t.peer} ${t.state}`).join(', '),
    ]),
  );
  const failed = rows.filter((r) => r.reason !== undefined).map((r) => `${r.name} failed: ${r.reason}`);
  return [`as ${entry} sees the overlay:`, table, ...failed].join('\n');
}

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3_600)} h ago`;
}
