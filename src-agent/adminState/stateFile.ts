// The administrator's state a root keeps on disk (one file, mode 0600, replaced atomically): read back at start (a
// corrupt one kept aside and reported), written after each newer state, one write at a time and only the newest.
import { createCoalescedWrite } from '../../src-shared/async/coalescedWrite.ts';
import type { CoalescedWrite } from '../../src-shared/async/coalescedWrite.ts';
import { keepAside, readTextIfExists, writeFileAtomic } from '../../src-node/atomicFile.ts';
import type { StateCopy } from './stateCopy.ts';
import { parseStateCopy } from './stateCopy.ts';

export interface StateFile extends CoalescedWrite {
  /** The state the last run kept, if any; a problem when the file could not be used (then kept aside). */
  load(): Promise<{ copy?: StateCopy; problem?: string }>;
}

export interface StateFileOptions {
  path: string;
  maxBytes: number;
  /** The state to write, as it is when a write comes to be done. */
  current(): StateCopy | undefined;
  now(): number;
  onError(error: unknown): void;
}

export function stateFile(options: StateFileOptions): StateFile {
  const write = async () => {
    const copy = options.current();
    if (copy) await writeFileAtomic(options.path, copy.bytes, 0o600);
  };
  return {
    ...createCoalescedWrite(write, options.onError),
    async load() {
      const text = await readTextIfExists(options.path);
      if (text === null) return {};
      const read = await parseStateCopy(text, options.maxBytes);
      if ('copy' in read) return { copy: read.copy };
      const keptAs = await keepAside(options.path, options.now());
      return { problem: `the administrator state file could not be used (${read.problem}); kept it as ${keptAs}` };
    },
  };
}
