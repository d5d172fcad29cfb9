// The application's loopback host as a child process for browser tests, in a throw-away home: its state, config and
// sandbox folders all in one temporary folder, so that a test never touches the user's sandbox, settings or topology.
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onProcessEnd } from '../lab/exitCleanup.ts';
import { REPO } from './buildApp.ts';

const LAUNCHER = join(REPO, 'src-main/cli/launcher.cjs');

/**
 * - `web`: `npm run web` on a pending topology of its own (`stateFile`), with no overlay (no sandbox runs in its home);
 * - `start`: `npm start -- --web --no-open`, which first brings up the sandbox overlay in its home and logs in to it.
 */
export type HostKind = 'web' | 'start';

const COMMANDS: Record<HostKind, { args: (stateFile: string) => string[]; addressWithinMs: number }> = {
  web: { args: (stateFile) => ['src-main/host/webMain.ts', '--state', stateFile], addressWithinMs: 15_000 },
  start: { args: () => ['src-main/host/startMain.ts', '--no-open', '--web'], addressWithinMs: 90_000 },
};

/** Every folder the application and the sandbox read or write, in `folder`; an overlay named in the user's own environment is not opened. */
function isolatedEnv(folder: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    RAINCOAT_SANDBOX_DIR: join(folder, 'sandbox'),
    XDG_STATE_HOME: join(folder, 'state'),
    XDG_CONFIG_HOME: join(folder, 'config'),
    RAINCOAT_ACCESS: '',
  };
}

/**
 * Lifecycle: `start(kind)` makes the home, runs the host there in its own process group and waits for the address it
 * prints; `stop()` sends Ctrl+C (the host logs out first), kills the group if it lingers, runs `raincoat sandbox down`
 * in the same home (the sandbox's agents run in a process of their own, which outlives the host) and removes the
 * folder. `stop()` is safe to call when starting failed half-way, and the same cleanup runs if the test process is
 * itself ended. `output()` is everything the host printed, for a failing test's report.
 */
export class WebHostProcess {
  readonly url: string;
  /** The pending topology of a `web` host (a `start` host keeps its overlay's under `env.XDG_STATE_HOME`). */
  readonly stateFile: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly child: ChildProcess;
  private readonly folder: string;
  private readonly printed: string[];
  private readonly forget: () => void;

  private constructor(fields: { child: ChildProcess; folder: string; url: string; printed: string[]; env: NodeJS.ProcessEnv; forget: () => void }) {
    this.child = fields.child;
    this.folder = fields.folder;
    this.url = fields.url;
    this.stateFile = join(fields.folder, 'pending-topology.json');
    this.env = fields.env;
    this.printed = fields.printed;
    this.forget = fields.forget;
  }

  /** `http://127.0.0.1:PORT` without the token. */
  get origin(): string {
    return new URL(this.url).origin;
  }

  get socketUrl(): string {
    const token = new URLSearchParams(new URL(this.url).hash.slice(1)).get('token') ?? '';
    return `ws://${new URL(this.url).host}/contract?token=${encodeURIComponent(token)}`;
  }

  static async start(kind: HostKind = 'web'): Promise<WebHostProcess> {
    const folder = await mkdtemp(join(tmpdir(), 'raincoat-web-'));
    const env = isolatedEnv(folder);
    const command = COMMANDS[kind];
    const printed: string[] = [];
    const child = spawn(process.execPath, command.args(join(folder, 'pending-topology.json')), { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const forget = onProcessEnd(() => {
      killGroup(child, 'SIGKILL');
      try {
        execFileSync(process.execPath, [LAUNCHER, 'sandbox', 'down'], { env, stdio: 'ignore', timeout: 30_000 });
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
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
      await takeDown(env, folder);
      forget();
      throw error;
    }
    return new WebHostProcess({ child, folder, url, printed, env, forget });
  }

  output(): string {
    return this.printed.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      killGroup(this.child, 'SIGINT');
      const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await takeDown(this.env, this.folder);
    this.forget();
  }
}

/** `raincoat sandbox down` in the home (it says so and changes nothing when none runs there), then the home removed. */
async function takeDown(env: NodeJS.ProcessEnv, folder: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [LAUNCHER, 'sandbox', 'down'], { env, timeout: 60_000 });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
