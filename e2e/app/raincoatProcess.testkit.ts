// `npm start` as a user runs it, for tests: its own throw-away state and sandbox folders, the process it starts (the
// application through the loopback host), the contract's client over its socket, and everything removed afterwards.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '../../src-shared/contract/client.ts';
import type { Client } from '../../src-shared/contract/client.ts';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { socketTransport } from '../../src-shared/contract/socketTransport.ts';
import { REPO } from '../ui/buildApp.ts';

const LAUNCHER = join(REPO, 'src-main/cli/launcher.cjs');

/** Folders of its own for everything the application and the sandbox write. */
export interface UserHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** `raincoat ARGS` as this user: its exit code and output. */
  raincoat(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Takes the sandbox down and removes every folder. */
  remove(): Promise<void>;
}

export async function userHome(): Promise<UserHome> {
  const dir = await mkdtemp(join(tmpdir(), 'raincoat-user-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), RAINCOAT_SANDBOX_DIR: join(dir, 'sandbox') };
  delete env['RAINCOAT_ACCESS'];
  delete env['RAINCOAT_PASSPHRASE'];
  delete env['RAINCOAT_PASSWORD'];
  const raincoat = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [LAUNCHER, ...args], { env, cwd: REPO, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };
  return {
    dir,
    env,
    raincoat,
    async remove() {
      await raincoat('sandbox', 'down');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RunningApp {
  client: Client;
  output(): string;
  /** The newest overlay state once `done` holds for it (each event is checked as it comes). */
  until(done: (state: OverlayState) => boolean, what: string, timeoutMs?: number): Promise<OverlayState>;
  /** Ctrl+C (it logs out), or a kill that gives it no chance to. */
  stop(signal?: 'SIGINT' | 'SIGKILL'): Promise<void>;
}

/** `npm start -- --web --no-open ARGS` in `home`, once it printed its address and its contract answers. */
export async function startRaincoat(home: UserHome, args: string[] = []): Promise<RunningApp> {
  const printed: string[] = [];
  const child = spawn(process.execPath, ['src-main/host/startMain.ts', '--web', '--no-open', ...args], { cwd: REPO, env: home.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address within 90 s:\n${printed.join('')}`)), 90_000);
      const look = () => {
        const match = /Raincoat is at (\S+)/.exec(printed.join(''));
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', look);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) before printing an address:\n${printed.join('')}`));
      });
    });
  } catch (error) {
    signal(child, 'SIGKILL');
    throw error;
  }
  const page = new URL(url);
  const token = new URLSearchParams(page.hash.slice(1)).get('token') ?? '';
  const transport = socketTransport(`ws://${page.host}/contract?token=${encodeURIComponent(token)}`, (address) => new WebSocket(address));
  const client = createClient(transport);
  let latest: OverlayState | undefined;
  const waiters = new Set<() => void>();
  client.on('overlay.didChange', (state) => {
    if (!latest || state.revision > latest.revision) latest = state;
    for (const wake of waiters) wake();
  });
  return {
    client,
    output: () => printed.join(''),
    until(done, what, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (latest && done(latest)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(latest);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${what}: not within ${timeoutMs / 1000} s; last state ${JSON.stringify(latest)}\n${printed.join('')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop(kind = 'SIGINT') {
      transport.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      signal(child, kind);
      const timer = setTimeout(() => signal(child, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function signal(child: ChildProcess, kind: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, kind);
  } catch {
    // Already gone.
  }
}
