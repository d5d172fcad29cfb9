// The overlay a command works on and where its administrator password comes from: `--access FILE`, else the running
// sandbox's (whose kept password is then one of the sources).
import { resolve } from 'node:path';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { keepPassword, readKeptPassword } from './adminPassword.ts';
import type { PasswordSources } from './adminPassword.ts';
import { readOverlayAccess } from './readOverlayAccess.ts';
import { defaultAccessFile, keptPasswordFile } from './sandboxFiles.ts';

export interface LoadOverlayOptions {
  /** The file `--access` named, if any. */
  accessFile?: string;
  env: NodeJS.ProcessEnv;
  /** Asks on the terminal without echo; absent when there is none. */
  ask?: (prompt: string) => Promise<string>;
}

/** `sandbox`: the file is the running sandbox's own, whose kept secrets (password, keys' passphrase) are then sources. */
export type LoadedOverlay = { ok: true; access: OverlayAccess; file: string; sandbox: boolean; passwords: PasswordSources } | { ok: false; message: string };

export async function loadOverlay(options: LoadOverlayOptions): Promise<LoadedOverlay> {
  const sandboxFile = defaultAccessFile(options.env);
  const file = options.accessFile ?? sandboxFile;
  const isSandbox = resolve(file) === resolve(sandboxFile);
  const read = await readOverlayAccess(file, options.accessFile === undefined);
  if (!read.ok) return read;
  // Another overlay's password is never the sandbox's: only the sandbox's own access file brings its kept password.
  const kept = keptPasswordFile(options.env);
  const sandbox = isSandbox ? { readKept: () => readKeptPassword(kept), keep: (password: string) => keepPassword(kept, password) } : { readKept: async () => undefined };
  return { ok: true, access: read.access, file, sandbox: isSandbox, passwords: { env: options.env, ...sandbox, ...(options.ask ? { ask: options.ask } : {}) } };
}
