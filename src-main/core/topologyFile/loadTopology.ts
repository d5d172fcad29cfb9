// Reads a topology file and validates it: the one path every command takes from a file name to a valid topology.
import { loadJsonFile } from '../../../src-node/loadJsonFile.ts';
import type { Problem } from '../../../src-shared/validation/zodProblems.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';

export type LoadResult =
  | { kind: 'ok'; topology: Topology }
  /** The file could not be read, or is not JSON: `message` says which. */
  | { kind: 'unreadable'; message: string }
  | { kind: 'invalid'; problems: Problem[] };

export async function loadTopology(file: string): Promise<LoadResult> {
  const loaded = await loadJsonFile(file);
  if (!loaded.ok) return { kind: 'unreadable', message: loaded.message };
  const result = validateTopology(loaded.value);
  return result.ok ? { kind: 'ok', topology: result.topology } : { kind: 'invalid', problems: result.problems };
}
