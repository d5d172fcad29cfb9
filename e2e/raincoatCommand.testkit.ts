// `raincoat ARGS` run as a user runs it (the launcher, a process of its own), for the test kits that give it their environment.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './ui/buildApp.ts';

const LAUNCHER = join(REPO, 'src-main/cli/launcher.cjs');

export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

/** Resolves, never rejects: a failed or killed command gives its exit code (-1 when it has none) with what it printed. */
export function runRaincoat(env: NodeJS.ProcessEnv, timeoutMs: number, args: readonly string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LAUNCHER, ...args], { env, timeout: timeoutMs }, (error, out, err) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err }),
    );
  });
}
