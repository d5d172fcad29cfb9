// The loopback host as a child process for browser tests, with its own throw-away state folder.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './buildApp.ts';

/**
 * Lifecycle: `start()` makes a state folder, runs `node src-main/host/webMain.ts` in its own process
 * group and waits for the address it prints; `stop()` kills the whole group and removes the folder,
 * and is safe to call when starting failed half-way. `output()` is everything the host printed, for a
 * failing test's report.
 */
export class WebHostProcess {
  readonly url: string;
  readonly stateFile: string;
  private readonly child: ChildProcess;
  private readonly folder: string;
  private readonly printed: string[];

  private constructor(child: ChildProcess, folder: string, url: string, printed: string[]) {
    this.child = child;
    this.folder = folder;
    this.url = url;
    this.stateFile = join(folder, 'pending-topology.json');
    this.printed = printed;
  }

  /** `http://127.0.0.1:PORT` without the token. */
  get origin(): string {
    return new URL(this.url).origin;
  }

  get socketUrl(): string {
    const token = new URLSearchParams(new URL(this.url).hash.slice(1)).get('token') ?? '';
    return `ws://${new URL(this.url).host}/contract?token=${encodeURIComponent(token)}`;
  }

  static async start(): Promise<WebHostProcess> {
    const folder = await mkdtemp(join(tmpdir(), 'raincoat-web-'));
    const printed: string[] = [];
    const child = spawn(process.execPath, ['src-main/host/webMain.ts', '--state', join(folder, 'pending-topology.json')], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the host printed no address within 15 s:\n${printed.join('')}`)), 15_000);
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
      return new WebHostProcess(child, folder, url, printed);
    } catch (error) {
      killGroup(child, 'SIGKILL');
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  output(): string {
    return this.printed.join('');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      killGroup(this.child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.folder, { recursive: true, force: true });
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
