// Reads a JSON file a person wrote (a topology, the agent's config, render's --addresses): its value, or one line saying why not.
import { readFile } from 'node:fs/promises';
import { cannotReadReason } from '../src-shared/validation/cannotReadReason.ts';
import { formatJsonError, parseJsonText } from '../src-shared/validation/parseJsonText.ts';

export type LoadedJson = { ok: true; value: unknown } | { ok: false; message: string };

/** `message` is `FILE: cannot read: why` or `FILE:LINE:COLUMN: not JSON: why`; checking the value's shape is the caller's. */
export async function loadJsonFile(file: string): Promise<LoadedJson> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `${file}: cannot read: ${cannotReadReason(error)}` };
  }
  const parsed = parseJsonText(text);
  return parsed.ok ? parsed : { ok: false, message: formatJsonError(file, parsed) };
}
