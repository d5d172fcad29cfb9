// `raincoat sandbox up|status|stop|start|down`: the whole overlay on this machine, for trying the application, the
// command line and deploys without a cloud (the core's sandbox/ does the work).
import path from 'node:path';
import { count } from '../../../src-shared/text/count.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { findAgentBundle } from '../../core/sandbox/agentBundle.ts';
import { exampleTopology } from '../../core/sandbox/exampleTopology.ts';
import { sandboxDir } from '../../core/sandbox/sandboxDir.ts';
import { sandboxDown, sandboxStatus, startNode, stopNode } from '../../core/sandbox/sandboxControl.ts';
import { SandboxError } from '../../core/sandbox/sandboxError.ts';
import { sandboxUp } from '../../core/sandbox/sandboxUp.ts';
import { describeSandboxUp } from '../../core/sandbox/describeSandboxUp.ts';
import { statusRows } from '../../core/sandbox/statusRows.ts';
import type { StatusRow } from '../../core/sandbox/statusRows.ts';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { formatTable } from './formatTable.ts';
import { loadOrReport } from './loadOrReport.ts';

const USAGE = `Usage: raincoat sandbox up [TOPOLOGY] [--agent FILE]
       raincoat sandbox status [--json]
       raincoat sandbox stop NODE
       raincoat sandbox start NODE
       raincoat sandbox down

The whole overlay on this machine: one real agent per root and per leaf of TOPOLOGY (a topology file; the example
one, three roots and five leaves, when none is given), each on 127.0.0.1 with its own port, identity (enrolled with a
new control CA), dry-run backend and state folder, all run by one background process.
  up       starts it and makes its administrator with a random password, printed once and kept for the command line;
           prints the entry root's address and the access file the application and the command line read
           (--agent FILE: the agent bundle to run; by default the one "npm run build" makes)
  status   every node: its port, its process (up or stopped) and its state as a root of the overlay reports it
           (--json: {"nodes": [{"node", "port", "process", "state", "lastHeartbeat", "topologyId", "reason"}]})
  stop     stops one node's agent (e.g. root-2 or leaf-1-2), as a node going down would; start brings it back
  down     stops everything and removes what the sandbox wrote, nothing else
The sandbox lives in $RAINCOAT_SANDBOX_DIR, else $XDG_STATE_HOME/raincoat/sandbox, else ~/.local/state/raincoat/sandbox.
Exit 0 when done; 1 when it cannot be done (an invalid topology, with validate's messages; a sandbox already up, or
none running); 2 for wrong arguments or an unreadable topology.`;

type Sub = (args: string[], io: CliIo, dir: string) => Promise<number>;

const subcommands: Record<string, Sub> = {
  async up(args, io, dir) {
    const parsed = parseCommandArgs(sub('up'), args, { agent: { type: 'string' } }, { atMost: 1 }, io);
    if (typeof parsed === 'number') return parsed;
    const file = parsed.positionals[0];
    const topology: Topology | number = file === undefined ? exampleTopology() : await loadOrReport(file, io);
    if (typeof topology === 'number') return topology;
    const agent = parsed.values.agent;
    const bundle = typeof agent === 'string' ? { ok: true as const, file: path.resolve(agent) } : findAgentBundle();
    if (!bundle.ok) return fail(io, bundle.message, EXIT.usage);
    const up = await sandboxUp({ dir, topology, bundle: bundle.file, progress: (line) => io.err(`sandbox: ${line}`) });
    io.out(describeSandboxUp(up).join('\n'));
    return EXIT.ok;
  },

  async status(args, io, dir) {
    const parsed = parseCommandArgs(sub('status'), args, { json: { type: 'boolean' } }, 0, io);
    if (typeof parsed === 'number') return parsed;
    const status = await sandboxStatus(dir);
    const rows = statusRows(status.nodes, status.view);
    if (parsed.values.json) {
      io.out(JSON.stringify({ nodes: rows.map(jsonRow) }, null, 2));
      return EXIT.ok;
    }
    const up = rows.filter((r) => r.process === 'up').length;
    const seen = status.view.ok ? `as ${status.view.snapshot.node} sees it` : `no root could say how the overlay is (${status.view.reason})`;
    io.out(`sandbox in ${dir}: ${up} of ${count(rows.length, 'agent')} up; ${seen}; access file ${status.accessFile}`);
    io.out(formatTable(['NODE', 'PORT', 'PROCESS', 'STATE', 'LAST HEARTBEAT', 'TOPOLOGY', 'REASON'], rows.map(textRow)));
    return EXIT.ok;
  },

  stop: (args, io, dir) => oneNode('stop', args, io, dir),
  start: (args, io, dir) => oneNode('start', args, io, dir),

  async down(args, io, dir) {
    const parsed = parseCommandArgs(sub('down'), args, {}, 0, io);
    if (typeof parsed === 'number') return parsed;
    const down = await sandboxDown(dir);
    if (down.was === 'running') io.out(`the sandbox is down: ${count(down.agents, 'agent')} stopped, its files in ${dir} removed`);
    else if (down.was === 'stale') io.out(`no sandbox was running in ${dir}; what an earlier one left is removed`);
    else io.out(`no sandbox is running in ${dir}`);
    return EXIT.ok;
  },
};

async function oneNode(action: 'stop' | 'start', args: string[], io: CliIo, dir: string): Promise<number> {
  const parsed = parseCommandArgs(sub(action), args, {}, { atMost: 1 }, io);
  if (typeof parsed === 'number') return parsed;
  const node = parsed.positionals[0];
  if (node === undefined) return fail(io, `sandbox ${action}: which node? (e.g. root-2 or leaf-1-2; "raincoat sandbox status" lists them)\n\n${USAGE}`, EXIT.usage);
  const result = action === 'stop' ? await stopNode(dir, node) : await startNode(dir, node);
  if (result.process === 'failed') return fail(io, `${node} failed to ${action}: ${result.reason}`);
  io.out(`${node} is ${result.process}${result.port === null ? '' : ` (port ${result.port})`}`);
  return EXIT.ok;
}

export const sandboxCommand: Command = {
  name: 'sandbox',
  summary: 'the whole overlay on this machine: up, status, stop NODE, start NODE, down',
  usage: USAGE,
  async run(args, io) {
    const [name, ...rest] = args;
    if (name === '--help' || name === '-h') {
      io.out(USAGE);
      return EXIT.ok;
    }
    const run = name === undefined ? undefined : subcommands[name];
    if (run === undefined) return fail(io, `sandbox: ${name === undefined ? 'which command?' : `unknown command "${name}"`}\n\n${USAGE}`, EXIT.usage);
    try {
      return await run(rest, io, sandboxDir());
    } catch (error) {
      if (error instanceof SandboxError) return fail(io, `sandbox ${name}: ${error.message}`);
      throw error;
    }
  },
};

/** A subcommand as parseCommandArgs names it in its messages. */
function sub(name: string) {
  return { name: `sandbox ${name}`, usage: USAGE };
}

function fail(io: CliIo, message: string, code: number = EXIT.invalid): number {
  io.err(`raincoat ${message}`);
  return code;
}

function textRow(row: StatusRow): string[] {
  const beat = row.lastHeartbeat === undefined || row.lastHeartbeat === null ? '-' : new Date(row.lastHeartbeat).toISOString();
  return [row.node, row.port === null ? '-' : String(row.port), row.process, row.state ?? '-', beat, row.topologyId ?? '-', row.reason ?? ''];
}

/** Every field present, in the order the usage lists them; null where nothing is known. */
function jsonRow(row: StatusRow) {
  const { node, port, process, state = null, lastHeartbeat = null, topologyId = null, reason } = row;
  return { node, port, process, state, lastHeartbeat, topologyId, ...(reason === undefined ? {} : { reason }) };
}
