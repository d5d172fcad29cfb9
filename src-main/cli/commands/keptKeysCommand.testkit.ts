// A key hygiene command run on an overlay deployed in memory: an access file and a state folder as deploy left them,
// in a folder of the test's own, and no sandbox to fall back on.
import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { access, deployChain } from '../../core/keyHygiene/deployedOverlay.testkit.ts';
import { overlayStateDir } from '../../core/deployRun/overlayState.ts';
import type { Command } from './command.ts';
import type { KeptKeysDeps } from './keptKeysCommand.ts';

export interface KeptKeysFixture {
  at(...parts: string[]): string;
  /** The overlay's folder in the state folder `state`. */
  stateDir(): string;
  /** The command with ARGS (no --access: add `...withOverlay`), its exit code and output. */
  run(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** --access and --state naming the deployed overlay. */
  withOverlay(): string[];
}

/** Registers the folder's setup (the chain deployed) and removal with the test file. */
export function keptKeysFixture(create: (deps: KeptKeysDeps) => Command): KeptKeysFixture {
  let dir = '';
  const at = (...parts: string[]) => path.join(dir, ...parts);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'raincoat-kept-keys-cli-'));
    await writeFile(at('access.json'), JSON.stringify(access));
    await deployChain(overlayStateDir(at('state'), access));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return {
    at,
    stateDir: () => overlayStateDir(at('state'), access),
    withOverlay: () => ['--access', at('access.json'), '--state', at('state')],
    async run(...args) {
      const out: string[] = [];
      const err: string[] = [];
      const command = create({ env: { RAINCOAT_SANDBOX_DIR: at('no-sandbox'), XDG_STATE_HOME: at('xdg') }, now: () => Date.parse('2026-12-07T12:00:00Z') });
      const code = await command.run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}
