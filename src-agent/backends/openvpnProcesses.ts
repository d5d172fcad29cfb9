// Starts and stops OpenVPN instances as daemons with pid files, so they outlive an agent restart and are found again.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock } from '../clock.ts';
import { describeFailure, type CommandRunner } from './commandRunner.ts';

export interface OpenVpnProcesses {
  /** Names of the instances running now. */
  running(): Promise<string[]>;
  /** Starts `openvpn --config configPath` from the config's folder; throws if it does not come up. */
  start(name: string, configPath: string): Promise<void>;
  /** Stops the instance and waits until it has exited; does nothing when it is not running. */
  stop(name: string): Promise<void>;
}

export interface OpenVpnProcessOptions {
  /** Holds `<name>.pid` and `<name>.log`. */
  runDir: string;
  binary?: string;
  runner: CommandRunner;
  /** How long start waits for the pid file, and stop for the exit before SIGKILL. */
  waitMs?: number;
  clock: Pick<Clock, 'now' | 'sleep'>;
}

const POLL_MS = 25;
/** How often OpenVPN rewrites an instance's status file. */
export const OPENVPN_STATUS_SECONDS = 5;

/** Where OpenVPN writes instance `name`'s status (its connected clients). */
export function openvpnStatusFile(runDir: string, name: string): string {
  return join(runDir, `${name}.status`);
}

export function createOpenVpnProcesses(options: OpenVpnProcessOptions): OpenVpnProcesses {
  const binary = options.binary ?? 'openvpn';
  const { runner, clock } = options;
  const waitMs = options.waitMs ?? 5_000;
  const pidFile = (name: string) => join(options.runDir, `${name}.pid`);

  /** The pid of the instance if a live process owns its pid file; checking the command line guards against a reused pid. */
  async function livePid(name: string): Promise<number | undefined> {
    const pid = Number.parseInt(await readFile(pidFile(name), 'utf8').catch(() => ''), 10);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    return commandLine.split('\0').includes(pidFile(name)) ? pid : undefined;
  }

  async function waitFor(condition: () => Promise<boolean>): Promise<boolean> {
    for (const end = clock.now() + waitMs; clock.now() < end; await clock.sleep(POLL_MS)) {
      if (await condition()) return true;
    }
    return condition();
  }

  return {
    async running() {
      const names = (await readdir(options.runDir).catch(() => [] as string[])).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4));
      const live = await Promise.all(names.map(async (name) => ((await livePid(name)) === undefined ? undefined : name)));
      return live.filter((n): n is string => n !== undefined).sort();
    },

    async start(name, configPath) {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`bad OpenVPN instance name "${name}"`);
      await mkdir(options.runDir, { recursive: true });
      const log = join(options.runDir, `${name}.log`);
      // The status file is how the agent counts connected clients (src-agent/tunnels/openvpnClients.ts).
      const status = ['--status', openvpnStatusFile(options.runDir, name), String(OPENVPN_STATUS_SECONDS), '--status-version', '2'];
      const args = ['--config', configPath, '--cd', dirname(configPath), '--daemon', `raincoat-${name}`, '--writepid', pidFile(name), '--log', log, ...status];
      const result = await runner(binary, args);
      if (result.code !== 0) throw new Error(describeFailure(`openvpn ${name}`, result));
      if (!(await waitFor(async () => (await livePid(name)) !== undefined))) {
        const tail = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').slice(-2).join(' / ');
        throw new Error(`openvpn ${name} did not stay up${tail ? `: ${tail}` : ''}`);
      }
    },

    async stop(name) {
      const pid = await livePid(name);
      if (pid !== undefined) {
        signal(pid, 'SIGTERM');
        if (!(await waitFor(async () => (await livePid(name)) === undefined))) signal(pid, 'SIGKILL');
      }
      await unlink(pidFile(name)).catch(() => undefined);
    },
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
