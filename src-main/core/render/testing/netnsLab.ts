// Test-only: network namespaces and daemons for short real-daemon checks of rendered files, always torn down.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Why real daemons cannot run here (not root, a binary missing), or undefined when they can. */
export function daemonsUnavailable(binaries: readonly string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  for (const binary of ['/usr/sbin/ip', ...binaries]) if (!existsSync(binary)) return `${binary} is not installed`;
  return undefined;
}

/** Runs a command to completion; throws with its stderr when it fails. */
export function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.error?.message}`);
  return result.stdout;
}

export interface Lab {
  /** A namespace with lo up; its name is unique to this lab. */
  namespace(label: string): string;
  /** A veth pair between two of the lab's namespaces, with an address on each end. */
  link(a: string, addressA: string, b: string, addressB: string): void;
  exec(namespace: string, command: string, args: readonly string[]): string;
  /** Starts a long-running process inside a namespace (in its own process group, killed at teardown). */
  start(namespace: string, command: string, args: readonly string[], env?: Record<string, string>): ChildProcess;
  /** Stops every process it started (SIGTERM, then SIGKILL) and deletes its namespaces. */
  teardown(): Promise<void>;
}

export function createLab(prefix: string): Lab {
  const namespaces: string[] = [];
  const processes: ChildProcess[] = [];
  let links = 0;
  const tag = `${prefix}${process.pid % 100_000}`;
  return {
    namespace(label) {
      const name = `${tag}-${label}`;
      run('ip', ['netns', 'add', name]);
      namespaces.push(name);
      run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
      return name;
    },
    link(a, addressA, b, addressB) {
      const n = links++;
      const [ea, eb] = [`${tag}v${n}a`, `${tag}v${n}b`];
      run('ip', ['link', 'add', ea, 'netns', a, 'type', 'veth', 'peer', 'name', eb, 'netns', b]);
      run('ip', ['-n', a, 'addr', 'add', addressA, 'dev', ea]);
      run('ip', ['-n', b, 'addr', 'add', addressB, 'dev', eb]);
      run('ip', ['-n', a, 'link', 'set', ea, 'up']);
      run('ip', ['-n', b, 'link', 'set', eb, 'up']);
    },
    exec(namespace, command, args) {
      return run('ip', ['netns', 'exec', namespace, command, ...args]);
    },
    start(namespace, command, args, env) {
      const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], {
        detached: true,
        stdio: ['ignore', 'ignore', 'ignore'],
        env: { ...process.env, ...env },
      });
      processes.push(child);
      return child;
    },
    async teardown() {
      for (const child of processes) {
        if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            // Already gone.
          }
        }
      }
      const deadline = Date.now() + 3_000;
      for (const child of processes) {
        while (child.pid !== undefined && isAlive(child.pid) && Date.now() < deadline) await sleep(25);
        if (child.pid !== undefined && isAlive(child.pid)) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      // Deleting a namespace deletes its veth ends and tun devices too.
      for (const name of namespaces.splice(0)) spawnSync('ip', ['netns', 'del', name]);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the file contains a match of `pattern`; rejects with the file's tail after `timeoutMs`. */
export async function waitForText(file: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file}: no ${pattern} within ${timeoutMs} ms; it ends with:\n${text.slice(-2000)}`);
    await sleep(25);
  }
}

/** Resolves once the path exists (a daemon's socket); rejects after `timeoutMs`. */
export async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await sleep(25);
  }
}
