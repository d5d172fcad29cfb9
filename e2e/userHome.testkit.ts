// A throw-away home for the application and the command line under test, as a new user's: userData, state, config and
// sandbox folders in one temporary folder, and the sandbox overlay there taken down again, also when the test fails.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostFileSchema, SANDBOX_FILES } from '../src-shared/sandbox/sandboxControl.ts';
import { onProcessEnd } from './lab/exitCleanup.ts';
import { runRaincoat } from './raincoatCommand.testkit.ts';
import type { CommandResult } from './raincoatCommand.testkit.ts';
import { buildApp } from './ui/buildApp.ts';

export interface UserHome {
  /** What the application (and `raincoat`) is run with: every folder it reads or writes is in the temporary one. */
  env: NodeJS.ProcessEnv;
  /** The variables `env` sets over this process's own (for a shell loaded into this process). */
  vars: Record<string, string>;
  /** `raincoat ARGS` in this environment, as a process of its own. */
  raincoat(...args: string[]): Promise<CommandResult>;
  /** `raincoat sandbox up` in this environment (the example topology, the agent bundle `npm run build` made). */
  upSandbox(): Promise<void>;
  /** `raincoat sandbox down` if one is up (brought up here or by `npm start`), the sandbox's host killed if it outlived that, and the folder removed. */
  remove(): Promise<void>;
}

export function createUserHome(): UserHome {
  const folder = mkdtempSync(join(tmpdir(), 'raincoat-user-'));
  const sandboxDir = join(folder, 'sandbox');
  const vars = {
    RAINCOAT_SANDBOX_DIR: sandboxDir,
    XDG_STATE_HOME: join(folder, 'state'),
    XDG_CONFIG_HOME: join(folder, 'config'),
    RAINCOAT_USER_DATA: join(folder, 'user-data'),
    // An overlay named in the developer's own environment must not be opened instead of the sandbox.
    RAINCOAT_ACCESS: '',
  };
  const env: NodeJS.ProcessEnv = { ...process.env, ...vars };
  // A password or passphrase of the developer's own must not stand in for the sandbox's kept ones.
  delete env['RAINCOAT_PASSWORD'];
  delete env['RAINCOAT_PASSPHRASE'];
  const hostFile = join(sandboxDir, SANDBOX_FILES.host);
  /** The sandbox's host, whoever brought it up (`upSandbox`, or `npm start` run in this home), while its file is there. */
  const hostPid = (): number | undefined => (existsSync(hostFile) ? HostFileSchema.parse(JSON.parse(readFileSync(hostFile, 'utf8'))).pid : undefined);
  const killHost = (pid = hostPid()) => {
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // The sandbox's host runs in a session of its own and would outlive this process: whatever ends it, kill the host.
  const unregister = onProcessEnd(() => {
    killHost();
    rmSync(folder, { recursive: true, force: true });
  });
  const raincoat = (...args: string[]) => runRaincoat(env, 90_000, args);

  return {
    env,
    vars,
    raincoat,
    async upSandbox() {
      buildApp();
      const up = await raincoat('sandbox', 'up');
      if (up.code !== 0) throw new Error(`raincoat sandbox up failed (${up.code}):\n${up.err}`);
    },
    async remove() {
      const pid = hostPid();
      if (pid !== undefined) {
        // Once down has stopped the host, its pid may soon be another process's: killed only if down failed.
        const down = await raincoat('sandbox', 'down');
        if (down.code !== 0) {
          console.error(`raincoat sandbox down failed (${down.code}): ${down.err}`);
          killHost(pid);
        }
      }
      rmSync(folder, { recursive: true, force: true });
      unregister();
    },
  };
}
