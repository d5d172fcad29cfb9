// Runs a command to completion (optionally inside a namespace) and turns a failure into an error that quotes its output.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolve instead of throwing when the command exits non-zero. */
  allowFailure?: boolean;
  /** Kill the command (SIGKILL) after this long; it then counts as failed. */
  timeoutMs?: number;
}

const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of an executable on PATH or in the usual system folders (root's sbin may be missing from PATH), or null. */
export function findBinary(name: string): string | null {
  if (name.includes('/')) return isExecutable(name) ? name : null;
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `findBinary` that throws, for commands the lab cannot do without. */
export function binary(name: string): string {
  const path = findBinary(name);
  if (path === null) throw new Error(`lab: executable "${name}" not found`);
  return path;
}

/** The argv that runs `argv` inside network namespace `ns` (`ip netns exec` execs, so the pid is the command's own). */
export function inNamespace(ns: string, argv: readonly string[]): string[] {
  return [binary('ip'), 'netns', 'exec', ns, ...argv];
}

export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('lab: empty command');
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: [stdin, 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`lab: cannot run ${argv.join(' ')}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), code, signal };
      if (code === 0 || options.allowFailure === true) resolve(result);
      else reject(new Error(failureMessage(argv, result)));
    });
    if (child.stdin !== null) {
      // A command that exits without reading its input must not turn into an EPIPE crash; its exit code tells.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** Synchronous `run` for exit and signal handlers, where nothing asynchronous gets to finish. */
export function runSync(argv: readonly string[], options: Omit<RunOptions, 'env'> = {}): RunResult {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('lab: empty command');
  const r = spawnSync(cmd, args, { input: options.input ?? '', encoding: 'utf8', timeout: options.timeoutMs });
  if (r.error !== undefined) throw new Error(`lab: cannot run ${argv.join(' ')}: ${r.error.message}`);
  const result = { stdout: r.stdout, stderr: r.stderr, code: r.status, signal: r.signal };
  if (r.status !== 0 && options.allowFailure !== true) throw new Error(failureMessage(argv, result));
  return result;
}

function failureMessage(argv: readonly string[], r: RunResult): string {
  const how = r.signal === null ? `exit code ${r.code}` : `signal ${r.signal}`;
  const output = (r.stderr + r.stdout).trim();
  return `lab: ${argv.join(' ')} failed (${how})${output === '' ? '' : `:\n${output}`}`;
}
