// A key hygiene command run on an overlay deployed in memory: an access file and a state folder as deploy left them
// (the keys sealed under the test passphrase, which the command gets from RAINCOAT_PASSPHRASE), in a folder of the
// test's own, and no sandbox to fall back on; its session at a fake entry root that notes what is recorded.
import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { access, deployChain, keptKeys } from '../../core/keyHygiene/deployedOverlay.testkit.ts';
import { overlayStateDir } from '../../core/deployRun/overlayState.ts';
import type { OverlayKeys } from '../../core/pki/keyTypes.ts';
import type { AuditNote } from '../../../src-shared/protocol/audit.ts';
import { TEST_PASSPHRASE } from '../../core/secrets/unlocker.testkit.ts';
import type { Command } from './command.ts';
import type { KeptKeysDeps } from './keptKeysCommand.ts';
import { answered, twoRootEntry } from './sessionCommand.testkit.ts';

export interface KeptKeysFixture {
  at(...parts: string[]): string;
  /** The overlay's folder in the state folder `state`. */
  stateDir(): string;
  /** The command with ARGS (no --access: add `...withOverlay`), its exit code and output. */
  run(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** The same with another passphrase in RAINCOAT_PASSPHRASE (undefined: none), and `typed` answering the terminal's prompts. */
  runWith(given: { passphrase?: string | undefined; typed?: string[] }, ...args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** The keys kept in the state folder, opened with the test passphrase. */
  keys(): Promise<OverlayKeys>;
  /** --access and --state naming the deployed overlay. */
  withOverlay(): string[];
  /** What the commands run so far recorded in the overlay's audit trail. */
  recorded(): AuditNote[];
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
  const entry = twoRootEntry({ recordAudit: () => answered<'recordAudit'>({ id: 'AAAAAAAAAAAAAAAA' }) });
  const runWith: KeptKeysFixture['runWith'] = async (given, ...args) => {
    const out: string[] = [];
    const err: string[] = [];
    const passphrase = 'passphrase' in given ? given.passphrase : TEST_PASSPHRASE;
    const env = {
      RAINCOAT_SANDBOX_DIR: at('no-sandbox'),
      XDG_STATE_HOME: at('xdg'),
      RAINCOAT_PASSWORD: 'the administrator password',
      ...(passphrase === undefined ? {} : { RAINCOAT_PASSPHRASE: passphrase }),
    };
    const typed = given.typed;
    const command = create({
      env,
      ask: () => (typed ? async () => typed.shift() ?? '' : undefined),
      now: () => Date.parse('2026-12-07T12:00:00Z'),
      // The login's polls take no time.
      timers: { after: (_ms, fn) => (queueMicrotask(fn), () => undefined) },
      clientFor: () => entry,
    });
    const code = await command.run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return {
    at,
    stateDir: () => overlayStateDir(at('state'), access),
    withOverlay: () => ['--access', at('access.json'), '--state', at('state')],
    run: (...args) => runWith({}, ...args),
    runWith,
    keys: () => keptKeys(overlayStateDir(at('state'), access)),
    recorded: () => entry.calls.filter((c) => c.route === 'recordAudit').map((c) => c.body as AuditNote),
  };
}
