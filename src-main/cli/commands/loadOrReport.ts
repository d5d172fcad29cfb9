// Loads a topology for a command, printing validate's messages and returning the exit code when it is not usable.
import { formatProblem } from '../../../src-shared/validation/zodProblems.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { loadTopology } from '../../core/topologyFile/loadTopology.ts';
import type { CliIo } from '../io.ts';
import { EXIT } from '../io.ts';

/** `nameFile` starts each problem with the file's name, for commands that read more than one. */
export async function loadOrReport(file: string, io: CliIo, options: { nameFile?: boolean } = {}): Promise<Topology | number> {
  const loaded = await loadTopology(file);
  if (loaded.kind === 'unreadable') {
    io.err(loaded.message);
    return EXIT.usage;
  }
  if (loaded.kind === 'invalid') {
    io.err(loaded.problems.map((p) => (options.nameFile ? `${file}: ${formatProblem(p)}` : formatProblem(p))).join('\n'));
    return EXIT.invalid;
  }
  return loaded.topology;
}
