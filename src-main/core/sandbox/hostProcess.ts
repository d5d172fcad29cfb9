// The sandbox host as a process: started detached from the command that starts it (it outlives that command), found
// alive or not by its pid, and ended when it does not stop by itself.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HostFileSchema, SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { HostFile } from '../../../src-shared/sandbox/sandboxControl.ts';
import { readTextIfExists } from '../../../src-node/atomicFile.ts';
import { parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { awaitedTimers, sleep } from '../agentClient/timers.ts';
import { SandboxError } from './sandboxError.ts';

const HOST_LOG = 'host.log';

/** Whether a process with this pid exists (one of another user's counts: it is not ours to reuse). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process is a sandbox host: a pid from a stale file may have been given to another program since. */
export function isSandboxHost(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('sandbox-host');
  } catch {
    // No /proc (macOS): ask ps.
    try {
      return / sandbox-host /.test(` ${execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim()} `);
    } catch {
      return false;
    }
  }
}

/**
 * Starts `raincoat-agent sandbox-host --dir DIR` in a session of its own, its output to the host's log, and waits for
 * its host file (written once its control channel answers). Node runs in the given options; Electron's binary, when the
 * application starts the sandbox, runs as Node.
 */
export async function spawnHost(dir: string, bundle: string, nodeArgs: readonly string[], waitMs = 20_000): Promise<HostFile> {
  const logsDir = path.join(dir, SANDBOX_FILES.logs);
  await mkdir(logsDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(logsDir, HOST_LOG);
  const fd = openSync(logFile, 'a', 0o600);
  let exited: string | undefined;
  try {
    const child = spawn(process.execPath, [...nodeArgs, bundle, 'sandbox-host', '--dir', dir], {
      detached: true,
      stdio: ['ignore', fd, fd],
      // Hundreds of agents share the process's one libuv pool: their file writes queued behind the deploy's crypto jobs
      // (a root's dry-run apply, a few dozen writes one after another, took 7.5 s with the default 4 threads).
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', MALLOC_ARENA_MAX: '1', UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16' },
    });
    child.on('exit', (code, signal) => (exited = `exited (${signal ?? `code ${code}`})`));
    child.on('error', (error) => (exited = `could not start: ${error.message}`));
    child.unref();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const host = await readHostFile(dir);
      if (typeof host === 'object' && host.pid === child.pid) return host;
      if (exited !== undefined || Date.now() > deadline) {
        if (exited === undefined && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        throw new SandboxError(`the sandbox host ${exited ?? `did not answer within ${waitMs / 1000} s`}; its log (${logFile}) ends:\n${await tail(logFile)}`);
      }
      await sleep(awaitedTimers, 50);
    }
  } finally {
    closeSync(fd);
  }
}

/** Asks the process to stop (SIGTERM), and kills it when it has not within `graceMs`; resolves once it is gone. */
export async function endProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  if (await exitWithin(pid, graceMs)) return;
  process.kill(pid, 'SIGKILL');
  await exitWithin(pid, 5_000);
}

/** Gives a host told to go down `graceMs` to end by itself (each agent saving its state), then ends it. */
export async function endHostAfter(pid: number, graceMs: number): Promise<void> {
  if (!(await exitWithin(pid, graceMs))) await endProcess(pid);
}

/** Ends what a stale host file names, only if it still is a sandbox host: its pid may have been given to another program. */
export async function endStaleHost(pid: number | undefined): Promise<void> {
  if (pid !== undefined && isSandboxHost(pid)) await endProcess(pid);
}

/** Whether the process is gone within `ms`. */
export async function exitWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(awaitedTimers, 50);
  }
  return true;
}

/** The host's file: `missing` when there is none, `invalid` when it is not one a host wrote. */
export async function readHostFile(dir: string): Promise<HostFile | 'missing' | 'invalid'> {
  const text = await readTextIfExists(path.join(dir, SANDBOX_FILES.host));
  if (text === null) return 'missing';
  const json = parseJsonText(text);
  const parsed = HostFileSchema.safeParse(json.ok ? json.value : undefined);
  return parsed.success ? parsed.data : 'invalid';
}

async function tail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
