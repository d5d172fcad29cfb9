// JSON state files checked against a schema: a corrupt one is kept aside and reported, never overwritten unseen.
import type { z } from 'zod';
import { keepAside, readTextIfExists, writeFileAtomic } from './atomicFile.ts';

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
  const text = await readTextIfExists(path);
  if (text === null) return { kind: 'missing' };
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
