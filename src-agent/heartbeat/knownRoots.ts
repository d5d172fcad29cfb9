// Remembers across restarts which roots this root knew, so that right after a start they count (pending) until known down.
import { z } from 'zod';
import { NodeNameSchema } from '../../src-shared/plan/nodeNames.ts';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { createSerialQueue } from '../../src-shared/async/serialQueue.ts';

export const KnownRootsFileSchema = z.strictObject({ version: z.literal(1), roots: z.array(NodeNameSchema) });
export type KnownRootsFile = z.infer<typeof KnownRootsFileSchema>;

export interface KnownRoots {
  /** The roots kept from the last run; a problem when the file was corrupt (then none). */
  load(): Promise<{ roots: string[]; problem?: string }>;
  /** Keeps this set (the status book's onRootsChanged); one write at a time, and sets that come meanwhile make one more, the newest. */
  keep(roots: readonly string[]): void;
  /** Resolves when the writes started so far are done. */
  settled(): Promise<void>;
}

export function createKnownRoots(store: StateStore<KnownRootsFile>, onError: (error: unknown) => void): KnownRoots {
  const serial = createSerialQueue();
  /** The set to write next, while a write waits: right after a start, a root hears of many roots in a row. */
  let next: KnownRootsFile | undefined;
  return {
    async load() {
      const read = await store.load();
      if (read.kind === 'ok') return { roots: read.value.roots };
      if (read.kind === 'corrupt') return { roots: [], problem: `the known roots file was corrupt (${read.reason}); kept it as ${read.keptAs}` };
      return { roots: [] };
    },
    keep(roots) {
      const queued = next !== undefined;
      next = { version: 1, roots: [...roots] };
      if (queued) return;
      serial(() => {
        const file = next!;
        next = undefined;
        return store.save(file);
      }).catch(onError);
    },
    settled: () => serial(async () => undefined),
  };
}
