// The application's loopback host as a child process for browser tests, in a throw-away home (e2e/userHome.testkit.ts):
// its state, config and sandbox folders all in one temporary folder, so that a test never touches the user's sandbox,
// settings or topology.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { onProcessEnd } from '../lab/exitCleanup.ts';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { REPO } from './buildApp.ts';

/**
 * - `web`: `npm run web` on a pending topology of its own (`stateFile`), with no overlay (no sandbox runs in its home);
 * - `start`: `npm start -- --web --no-open`, which first brings up the sandbox overlay in its home and logs in to it.
 */
export type HostKind = 'web' | 'start';

const COMMANDS: Record<HostKind, { args: (stateFile: string) => string[]; addressWithinMs: number }> = {
  web: { args: (stateFile) => ['src-main/host/webMain.ts', '--state', stateFile], addressWithinMs: 15_000 },
  start: { args: () => ['src-main/host/startMain.ts', '--no-open', '--web'], addressWithinMs: 90_000 },
};

/**
 * Lifecycle: `start(kind, home?)` runs the host in `home` (a new one of its own when none is given) in its own process
 * group and waits for the address it prints; `stop()` sends Ctrl+C (the host logs out first) or, with `SIGKILL`, ends it
 * as a crash would, kills the group if it lingers, and removes a home of its own (`raincoat sandbox down` there: the
 * sandbox's agents run in a process of their own, which outlives the host). `stop()` is safe to call when starting
 * failed half-way, and the host is killed if the test process itself is ended. `output()` is everything it printed.
 */
export class WebHostProcess {
  readonly url: string;
  /** The pending topology of a `web` host (a `start` host keeps its overlay's under `env.XDG_STATE_HOME`). */
  readonly stateFile: string;
  readonly home: UserHome;
  private readonly child: ChildProcess;
  private readonly ownHome: boolean;
  private readonly printed: string[];
  private readonly forget: () => void;

  private constructor(fields: { child: ChildProcess; home: UserHome; ownHome: boolean; url: string; printed: string[]; forget: () => void }) {
    this.child = fields.child;
    this.home = fields.home;
    this.ownHome = fields.ownHome;
    this.url = fields.url;
    this.stateFile = stateFileIn(fields.home);
    this.printed = fields.printed;
    this.forget = fields.forget;
  }

  get env(): NodeJS.ProcessEnv {
    return this.home.env;
  }

  /** `http://127.0.0.1:PORT` without the token. */
  get origin(): string {
    return new URL(this.url).origin;
  }

  get socketUrl(): string {
    const token = new URLSearchParams(new URL(this.url).hash.slice(1)).get('token') ?? '';
    return `ws://${new URL(this.url).host}/contract?token=${encodeURIComponent(token)}`;
  }

  static async start(kind: HostKind = 'web', home?: UserHome): Promise<WebHostProcess> {
    const inHome = home ?? createUserHome();
    const command = COMMANDS[kind];
    const printed: string[] = [];
    const child = spawn(process.execPath, command.args(stateFileIn(inHome)), { cwd: REPO, env: inHome.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const forget = onProcessEnd(() => killGroup(child, 'SIGKILL'));
    child.stdout.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
    let url: string;
    try {
      url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the host printed no address within ${command.addressWithinMs / 1000} s:\n${printed.join('')}`)), command.addressWithinMs);
        child.stdout.on('data', () => {
          const match = /Raincoat is at (\S+)/.exec(printed.join(''));
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the host exited (${code}) before printing an address:\n${printed.join('')}`));
        });
      });
    } catch (error) {
      killGroup(child, 'SIGKILL');
      forget();
      if (home === undefined) await inHome.remove();
      throw error;
    }
    return new WebHostProcess({ child, home: inHome, ownHome: home === undefined, url, printed, forget });
  }

  output(): string {
    return this.printed.join('');
  }

  async stop(signal: 'SIGINT' | 'SIGKILL' = 'SIGINT'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      killGroup(this.child, signal);
      const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.forget();
    if (this.ownHome) await this.home.remove();
  }
}

function stateFileIn(home: UserHome): string {
  return join(home.env['XDG_CONFIG_HOME']!, 'pending-topology.json');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
