// JSON state files checked against a schema: a corrupt one is kept aside and reported, never overwritten unseen.
import type { z } from 'zod';
import { parseJsonText } from '../src-shared/validation/parseJsonText.ts';
import { formatProblem, zodProblems } from '../src-shared/validation/zodProblems.ts';
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
  const reason = problemOf(text, schema);
  if (typeof reason !== 'string') return { kind: 'ok', value: reason.value };
  const keptAs = await keepAside(path, now());
  return { kind: 'corrupt', reason, keptAs };
}

/** The value `text` holds, or why it cannot be used. */
function problemOf<T>(text: string, schema: z.ZodType<T>): { value: T } | string {
  const json = parseJsonText(text);
  if (!json.ok) return `not JSON: line ${json.line}, column ${json.column}: ${json.message}`;
  const parsed = schema.safeParse(json.value, { reportInput: true });
  // State files hold credential records and tokens: a problem names what was found by its kind, never its value.
  return parsed.success ? { value: parsed.data } : zodProblems(parsed.error, '(top)', '', { quoteValues: false }).map(formatProblem).join('; ');
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
