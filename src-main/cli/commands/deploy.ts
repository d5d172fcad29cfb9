// `raincoat deploy TOPOLOGY`: shows the plan, asks unless --yes, logs in, deploys, prints a line per node as it reports
// and a summary, records the plan and each node's outcome in the overlay's audit trail, and logs out; the core's
// runDeploy does the work.
import { createInterface } from 'node:readline/promises';
import { count } from '../../../src-shared/text/count.ts';
import { sleep } from '../../core/agentClient/timers.ts';
import type { DeployPlan, NodePlan } from '../../core/deployRun/deployPlan.ts';
import { nodesToApply } from '../../core/deployRun/deployPlan.ts';
import { DEFAULT_FOLLOW_MS, runDeploy } from '../../core/deployRun/runDeploy.ts';
import type { DeployEvent, DeployOutcome } from '../../core/deployRun/runDeploy.ts';
import { deployAuditNotes } from '../../core/audit/deployAudit.ts';
import { recordAudit } from '../../core/audit/recordAudit.ts';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';
import type { Command } from './command.ts';
import { parseCommandArgs } from './command.ts';
import { bundledWorker } from '../../core/pki/bundledWorker.ts';
import { commandSecrets, PASSPHRASE_USAGE } from './commandSecrets.ts';
import { loadOrReport } from './loadOrReport.ts';
import { overlayDirOf, STATE_OPTION } from './stateOption.ts';
import { processDeps, SESSION_OPTIONS, SESSION_USAGE, withSession } from './sessionCommand.ts';
import type { SessionCommandDeps } from './sessionCommand.ts';

export interface DeployCommandDeps extends SessionCommandDeps {
  /** Asks a yes/no question on the terminal; absent when stdin is not one. */
  confirm: () => ((question: string) => Promise<boolean>) | undefined;
}

const USAGE = `Usage: raincoat deploy TOPOLOGY [--access FILE] [--yes] [--state DIR] [options]

Deploys TOPOLOGY to the overlay: shows the plan (every node added, changed or removed, each changed file as a diff
with secrets shown as [secret], a VyOS node's set/delete lines, the keys to make), asks unless --yes, logs in, posts
the deploy to the entry root, prints a line per node as it reports, confirms the deploy once every node is reachable
(else it reverts by itself), records the plan and each node's outcome in the overlay's audit trail, and logs out.
Only nodes whose files change apply anything.
Options:
${SESSION_USAGE}
  --yes            deploy without asking (required when stdin is not a terminal)
  --state DIR      the application's state folder: each overlay's keys (sealed, mode 0600) and what was deployed
                   (default $XDG_STATE_HOME/raincoat, else ~/.local/state/raincoat)
  --timeout SECONDS  how long to wait for every node to report (default ${DEFAULT_FOLLOW_MS / 1000})
  --vyos VERSION   1.4 (default) or 1.5: what VyOS nodes run, for their configuration and its check
  --base-dir DIR   where the linux backend keeps a node's files (default /etc/raincoat)
${PASSPHRASE_USAGE}
Exit 0 only if every node reports the new topology; 1 if any did not, or the deploy was refused or not approved
(an invalid topology gets validate's messages and nothing is sent); 2 for a usage problem.`;

export function createDeployCommand(deps: DeployCommandDeps): Command {
  return {
    name: 'deploy',
    summary: 'deploy a topology to the overlay, and follow every node until it runs it',
    usage: USAGE,
    async run(args, io) {
      const parsed = parseCommandArgs(
        this,
        args,
        { ...SESSION_OPTIONS, ...STATE_OPTION, yes: { type: 'boolean' }, timeout: { type: 'string' }, vyos: { type: 'string' }, 'base-dir': { type: 'string' } },
        1,
        io,
      );
      if (typeof parsed === 'number') return parsed;
      const say = (message: string) => io.err(`raincoat deploy: ${message}`);
      const options = checkOptions(parsed.values);
      if (typeof options === 'string') return (say(options), EXIT.usage);

      // Refused before anything is sent, not even a login.
      const topology = await loadOrReport(parsed.positionals[0]!, io);
      if (typeof topology === 'number') return topology;
      const confirm = options.yes ? undefined : deps.confirm();
      if (!options.yes && confirm === undefined) return (say('stdin is not a terminal to ask for approval on: pass --yes to deploy without being asked'), EXIT.usage);

      const bulk = bundledWorker();
      return withSession('deploy', io, deps, { values: parsed.values, progress: (line) => io.err(line) }, async (session, access, overlay) => {
        const events: DeployEvent[] = [];
        const outcome = await runDeploy({
          access,
          entry: session.api,
          topology,
          stateDir: overlayDirOf(parsed.values, deps.env, access),
          secrets: commandSecrets('deploy', io, deps, overlay.sandbox),
          clock: { now: deps.now, sleep: (ms) => sleep(deps.timers, ms) },
          approve: async (plan) => confirm === undefined || (await confirm(`Deploy to ${access.name}, changing ${count(nodesToApply(plan).length, 'node')}? [y/N] `)),
          onEvent: (event) => {
            events.push(event);
            printEvent(event, io);
          },
          followMs: options.timeoutMs,
          vyosVersion: options.vyos,
          ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
          ...(bulk === undefined ? {} : { bulk }),
        });
        // The exit code says how the nodes fared; a deploy the trail did not take is said, not failed.
        const recorded = await recordAudit(session.api, deployAuditNotes(events));
        if (!recorded.ok) say(`not recorded in the overlay's audit trail: ${recorded.reason}`);
        return exitOf(outcome);
      });
    },
  };
}

/** Asks on the process's terminal; only `y` or `yes` goes ahead. */
function terminalConfirm(): ((question: string) => Promise<boolean>) | undefined {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const terminal = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await terminal.question(question)).trim());
    } finally {
      terminal.close();
    }
  };
}

export const deployCommand = createDeployCommand({ ...processDeps, confirm: terminalConfirm });

interface DeployCliOptions {
  yes: boolean;
  timeoutMs: number;
  vyos: '1.4' | '1.5';
  baseDir?: string;
}

function checkOptions(values: Record<string, string | boolean | undefined>): DeployCliOptions | string {
  const timeout = values.timeout === undefined ? DEFAULT_FOLLOW_MS / 1000 : Number(values.timeout);
  if (!(Number.isFinite(timeout) && timeout >= 1 && timeout <= 3600)) return `--timeout: expected a number of seconds from 1 to 3600, found ${JSON.stringify(values.timeout)}`;
  const vyos = values.vyos ?? '1.4';
  if (vyos !== '1.4' && vyos !== '1.5') return `--vyos: expected 1.4 or 1.5, found ${JSON.stringify(vyos)}`;
  const baseDir = values['base-dir'];
  if (typeof baseDir === 'string' && !baseDir.startsWith('/')) return `--base-dir: expected an absolute path, found ${JSON.stringify(baseDir)}`;
  return {
    yes: values.yes === true,
    timeoutMs: timeout * 1000,
    vyos,
    ...(typeof baseDir === 'string' ? { baseDir } : {}),
  };
}

function exitOf(outcome: DeployOutcome): number {
  if (outcome.kind !== 'followed') return EXIT.invalid;
  const { summary } = outcome;
  return summary.failed.length === 0 && summary.unreachable.length === 0 && summary.confirmed ? EXIT.ok : EXIT.invalid;
}

const time = (ms: number) => new Date(ms).toISOString();

/** The plan and the progress go to stdout (what the command does), one line per node as it reports. */
function printEvent(event: DeployEvent, io: CliIo): void {
  switch (event.kind) {
    case 'notice':
      return io.err(`raincoat deploy: ${event.message}`);
    case 'plan':
      return io.out(planText(event.topologyId, event.plan).join('\n'));
    case 'posted':
      return io.out(`posted topology ${event.topologyId} (${event.digest.slice(0, 19)}…); following ${count(event.nodes.length, 'node')}`);
    case 'node':
      return io.out(event.outcome === 'applied' ? `${event.node}: applied` : `${event.node}: ${event.outcome}: ${event.reason}`);
    case 'confirmed':
      return io.out(`confirmed topology ${event.topologyId} on every node`);
    case 'reverting':
      return io.out(`not confirmed: ${event.reason}; every node goes back to what it ran before by itself, by about ${time(event.by)}`);
    case 'done':
      return printOutcome(event.outcome, io);
  }
}

/** A refusal's problems go where validate's do (stderr), each on its line; a summary is the command's last output. */
function printOutcome(outcome: DeployOutcome, io: CliIo): void {
  switch (outcome.kind) {
    case 'refused':
      return io.err([...outcome.problems, 'raincoat deploy: refused; nothing was sent'].join('\n'));
    case 'declined':
      return io.out('not deployed; nothing was sent');
    case 'not-posted':
      return io.err(`raincoat deploy: not deployed: ${outcome.reason}`);
    case 'followed': {
      const { summary } = outcome;
      const total = summary.applied.length + summary.failed.length + summary.unreachable.length;
      return io.out(`summary: ${summary.applied.length} of ${count(total, 'node')} run topology ${summary.topologyId}; ${summary.failed.length} failed, ${summary.unreachable.length} unreachable; ${summary.confirmed ? 'confirmed' : 'not confirmed'}`);
    }
  }
}

const SIGN: Record<NodePlan['change'], string> = { added: '+', changed: '~', unchanged: '=', removed: '-' };

/** The plan as text: a line per node, each changed file's diff under it, the tunnels torn down and the keys to make. */
function planText(topologyId: string, plan: DeployPlan): string[] {
  const by = (change: NodePlan['change']) => plan.nodes.filter((n) => n.change === change).length;
  const lines = [
    `plan for topology ${topologyId}: ${count(plan.nodes.length, 'node')} (${by('added')} added, ${by('changed')} changed, ${by('unchanged')} unchanged, ${by('removed')} removed)`,
  ];
  for (const node of plan.nodes) {
    const head = `${SIGN[node.change]} ${node.node} (${node.backend})`;
    if (node.change === 'unchanged' || node.change === 'removed') {
      lines.push(`${head}: ${node.change === 'removed' ? 'leaves the overlay, everything Raincoat set up there is removed' : 'unchanged'}`);
      continue;
    }
    lines.push(`${head}: ${node.change === 'added' ? `${count(node.files.length, 'file')}` : node.files.map((f) => `${f.path} (${f.change})`).join(', ')}`);
    if (node.change === 'changed') {
      for (const file of node.files) {
        lines.push(`    ${file.path}${file.diff.length === 0 ? ': only its secrets change' : ''}`);
        lines.push(...file.diff.map((line) => `      ${line}`));
      }
    }
    if (node.commands !== undefined) lines.push(`    VyOS: ${count(node.commands.length, 'line')}`, ...node.commands.map((line) => `      ${line}`));
  }
  for (const tunnel of plan.removedTunnels) lines.push(`- ${tunnel.name}: torn down at root-${tunnel.a} and root-${tunnel.b}`);
  lines.push(plan.keys.length === 0 ? 'keys to make: none' : 'keys to make:', ...plan.keys.map((k) => `  ${k}`));
  return lines;
}
