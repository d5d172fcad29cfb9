// Reads a topology file and validates it: the one path every command takes from a file name to a valid topology.
import { readFile } from 'node:fs/promises';
import { cannotReadReason } from '../../../src-shared/validation/cannotReadReason.ts';
import type { Problem } from '../../../src-shared/validation/zodProblems.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { parseJsonText } from './parseJsonText.ts';

export type LoadResult =
  | { kind: 'ok'; topology: Topology }
  /** The file could not be read, or is not JSON: `message` says which. */
  | { kind: 'unreadable'; message: string }
  | { kind: 'invalid'; problems: Problem[] };

export async function loadTopology(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = cannotReadReason(error);
    return { kind: 'unreadable', message: `${file}: cannot read: ${reason}` };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { kind: 'unreadable', message: `${file}:${parsed.line}:${parsed.column}: not JSON: ${parsed.message}` };
  const result = validateTopology(parsed.value);
  return result.ok ? { kind: 'ok', topology: result.topology } : { kind: 'invalid', problems: result.problems };
}
