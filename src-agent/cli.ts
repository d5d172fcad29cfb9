// The agent's command line: start, status, csr, install-cert, sandbox-host, version, help — parsed and run with injected I/O.
import { readFile } from 'node:fs/promises';
import type { StatusSnapshot } from '../src-shared/protocol/messages.ts';
import type { RunningAgent } from './agent.ts';
import type { AgentLog } from './agentLog.ts';
import type { Clock } from './clock.ts';
import type { AgentConfig } from './config/agentConfig.ts';
import { loadAgentConfig } from './config/loadAgentConfig.ts';
import { askStatus } from './heartbeat/askStatus.ts';
import { IdentityError, identityCsr, installIdentityCertificate } from './identity/identityStore.ts';
import { AGENT_VERSION } from './version.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Runs the agent until asked to stop (a signal); resolves with the exit code. */
  serve(config: AgentConfig, configFile: string): Promise<number>;
  /** Runs every agent of the sandbox overlay in DIR in this process until it is taken down; resolves with the exit code. */
  hostSandbox(dir: string): Promise<number>;
}

export const USAGE = `raincoat-agent ${AGENT_VERSION}: the Raincoat agent, one per overlay node.

usage:
  raincoat-agent start --config FILE          run the agent (SIGHUP re-reads the neighbours, SIGTERM stops)
  raincoat-agent status --config FILE [--json] every node's status as this node's agent sees it
  raincoat-agent csr --config FILE            make this node's identity key if needed; print its certificate request
  raincoat-agent install-cert --config FILE --cert FILE --ca FILE
                                              install the control CA's certificate for this node
  raincoat-agent sandbox-host --dir DIR       run every agent of the sandbox overlay in DIR, as raincoat sandbox up asks
  raincoat-agent version                      print the version
  raincoat-agent --help                       this text
`;

const COMMANDS: Record<string, { options: readonly string[]; flags: readonly string[] }> = {
  start: { options: ['--config'], flags: [] },
  status: { options: ['--config'], flags: ['--json'] },
  csr: { options: ['--config'], flags: [] },
  'install-cert': { options: ['--config', '--cert', '--ca'], flags: [] },
  'sandbox-host': { options: ['--dir'], flags: [] },
};

export interface ParsedArgs {
  command: string;
  options: Record<string, string>;
  flags: Set<string>;
}

/** Parses argv (without node and script); a string is a usage error to print. */
export function parseArgs(argv: readonly string[]): ParsedArgs | string {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { command: 'help', options: {}, flags: new Set() };
  if (command === 'version' || command === '--version') return { command: 'version', options: {}, flags: new Set() };
  const spec = COMMANDS[command];
  if (!spec) return `unknown command ${JSON.stringify(command)}`;
  const options: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (spec.flags.includes(arg)) flags.add(arg);
    else if (spec.options.includes(arg)) {
      const value = rest[++i];
      if (value === undefined || value.startsWith('--')) return `${arg} needs a value`;
      options[arg] = value;
    } else return `${command}: unknown argument ${JSON.stringify(arg)}`;
  }
  const missing = spec.options.filter((o) => options[o] === undefined);
  if (missing.length > 0) return `${command}: missing ${missing.join(', ')}`;
  return { command, options, flags };
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    io.err(`${parsed}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.command === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (parsed.command === 'version') {
    io.out(AGENT_VERSION);
    return EXIT.ok;
  }
  if (parsed.command === 'sandbox-host') return io.hostSandbox(parsed.options['--dir']!);
  const configFile = parsed.options['--config']!;
  const loaded = await loadAgentConfig(configFile);
  if (!loaded.ok) {
    io.err(loaded.message);
    return EXIT.failed;
  }
  const config = loaded.config;
  try {
    switch (parsed.command) {
      case 'start':
        return await io.serve(config, configFile);
      case 'status':
        return await status(config, parsed.flags.has('--json'), io);
      case 'csr':
        io.out(await identityCsr(config.dataDir, config.node));
        return EXIT.ok;
      default: {
        const [cert, ca] = await Promise.all([readFile(parsed.options['--cert']!, 'utf8'), readFile(parsed.options['--ca']!, 'utf8')]);
        await installIdentityCertificate(config.dataDir, config.node, cert, ca);
        io.out(`installed the certificate of ${config.node}`);
        return EXIT.ok;
      }
    }
  } catch (error) {
    if (error instanceof IdentityError || (error as NodeJS.ErrnoException).code !== undefined) {
      io.err(`${parsed.command}: ${(error as Error).message}`);
      return EXIT.failed;
    }
    throw error;
  }
}

/** Asks the local agent, as this node (its own certificate), for the status it holds of every node. */
async function status(config: AgentConfig, json: boolean, io: CliIo): Promise<number> {
  const host = config.listen.host === '0.0.0.0' ? '127.0.0.1' : config.listen.host;
  const answer = await askStatus(config.dataDir, config.node, `https://${host}:${config.listen.port}`);
  if (!answer.ok) {
    io.err(`status: ${answer.reason}`);
    return EXIT.failed;
  }
  io.out(json ? JSON.stringify(answer.snapshot, null, 2) : formatStatus(answer.snapshot));
  return EXIT.ok;
}

export function formatStatus(snapshot: StatusSnapshot): string {
  const rows = [['NODE', 'STATE', 'LAST HEARTBEAT', 'TOPOLOGY', 'REASON']];
  for (const n of snapshot.nodes) {
    rows.push([n.node, n.state, n.lastHeartbeat === null ? '-' : new Date(n.lastHeartbeat).toISOString(), n.topologyId ?? '-', n.reason ?? '']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
  return `status as seen by ${snapshot.node} at ${new Date(snapshot.generatedAt).toISOString()}\n${table}`;
}

/** Runs the agent until SIGTERM/SIGINT; SIGHUP re-reads the configuration file. */
export function serveUntilSignalled(start: (config: AgentConfig) => Promise<RunningAgent>, log: AgentLog, clock: Pick<Clock, 'setInterval'>) {
  return (config: AgentConfig, configFile: string): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      // Handlers go in before the agent starts: a signal that arrives while it starts must not take the default action.
      const started = start(config);
      const onHup = () => {
        void Promise.all([started, loadAgentConfig(configFile)]).then(([agent, loaded]) => {
          if (loaded.ok) agent.reload(loaded.config);
          else log('reload_refused', { message: loaded.message });
        });
      };
      const onStop = (signal: string) => {
        process.off('SIGHUP', onHup);
        log('stopping', { signal });
        void started.then((agent) => agent.stop()).then(() => resolve(EXIT.ok), reject);
      };
      process.on('SIGHUP', onHup);
      process.once('SIGTERM', () => onStop('SIGTERM'));
      process.once('SIGINT', () => onStop('SIGINT'));
      // A test agent must never outlive the harness that started it, however that harness ended.
      if (config.testing) {
        const parent = process.ppid;
        clock.setInterval(() => {
          if (process.ppid !== parent) onStop('parent-gone');
        }, 500);
      }
      started.catch((error: unknown) => {
        process.off('SIGHUP', onHup);
        reject(error);
      });
    });
}
