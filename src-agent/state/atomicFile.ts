// Writes files atomically (temporary file, fsync, rename, fsync of the folder) and reads JSON state, keeping corrupt files aside.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

/** After this resolves the file holds either its old or its new content, also across a power cut. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.writeFile(data);
    // The creation mode is filtered by the umask; set it exactly.
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export type JsonFileRead<T> =
  | { kind: 'missing' }
  | { kind: 'ok'; value: T }
  /** The file did not parse or validate; it now lives at `keptAs` and `path` is free for a fresh state. */
  | { kind: 'corrupt'; reason: string; keptAs: string };

/**
 * Reads and validates a JSON state file. A corrupt one is renamed `<path>.corrupt-<timestamp>` and reported,
 * never overwritten, so nobody loses the evidence or the data in it.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>, now: () => number = Date.now): Promise<JsonFileRead<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let reason: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { kind: 'ok', value: parsed.data };
    reason = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`).join('; ');
  } catch (error) {
    reason = `not JSON: ${(error as Error).message}`;
  }
  const keptAs = await keepAside(path, now());
  return { kind: 'corrupt', reason, keptAs };
}

async function keepAside(path: string, at: number): Promise<string> {
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt++) {
    const target = `${path}.corrupt-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    try {
      // Hard link then unlink: never replaces an earlier kept file of the same name.
      await link(path, target);
      await unlink(path);
      await syncFolder(dirname(path));
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** A JSON state file as the deploy engine and others use it: load once at start, save after every change. */
export interface StateStore<T> {
  load(): Promise<JsonFileRead<T>>;
  save(value: T): Promise<void>;
}

export function jsonStateFile<T>(path: string, schema: z.ZodType<T>, now: () => number = Date.now): StateStore<T> {
  return {
    load: () => readJsonFile(path, schema, now),
    save: (value) => writeFileAtomic(path, `${JSON.stringify(value, null, 1)}\n`, 0o600),
  };
}
