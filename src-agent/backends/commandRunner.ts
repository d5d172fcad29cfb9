// Runs a program with arguments (never through a shell) and collects its exit code and output.
import { spawn } from 'node:child_process';
import type { Clock } from '../clock.ts';

export interface CommandResult {
  /** The exit code; 127 when the program could not be started, -1 when it was killed for taking too long. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  /** Added to the agent's own environment. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export type CommandRunner = (command: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_CHARS = 64 * 1024;

/** Runs programs with `clock` timing their limits. */
export function createCommandRunner(clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>): CommandRunner {
  return (command, args, options = {}) =>
    new Promise((resolvePromise) => {
      const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      // Keep the tail: the end of the output is where programs say what went wrong.
      child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-MAX_OUTPUT_CHARS)));
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-MAX_OUTPUT_CHARS)));
      let timedOut = false;
      const timer = clock.setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      child.on('error', (error) => {
        clock.clearTimeout(timer);
        resolvePromise({ code: 127, stdout, stderr: `${stderr}${error.message}` });
      });
      child.on('close', (code) => {
        clock.clearTimeout(timer);
        resolvePromise({ code: timedOut ? -1 : (code ?? -1), stdout, stderr: timedOut ? `${stderr}timed out` : stderr });
      });
    });
}

/** `what failed (exit N): last line of its output`, short enough for a status reason. */
export function describeFailure(what: string, result: CommandResult): string {
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' / ');
  return `${what} failed (exit ${result.code})${output ? `: ${output.slice(-300)}` : ''}`;
}

/** How long a quick administrative command (nft, getent, useradd) may take before it counts as hung. */
export const QUICK_COMMAND_MS = 30_000;

/** Runs a quick command; throws its failure in words (the command line and what it printed) unless it exits 0. */
export async function runChecked(runner: CommandRunner, command: string, args: readonly string[]): Promise<void> {
  const result = await runner(command, args, { timeoutMs: QUICK_COMMAND_MS });
  if (result.code !== 0) throw new Error(describeFailure(`${command} ${args.join(' ')}`, result));
}

/** A runner that starts every program through `prefix` (e.g. `ip netns exec NS`), which then runs the program itself. */
export function withCommandPrefix(prefix: readonly [string, ...string[]], runner: CommandRunner): CommandRunner {
  const [command, ...rest] = prefix;
  return (program, args, options) => runner(command, [...rest, program, ...args], options);
}
