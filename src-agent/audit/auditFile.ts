// The audit trail's file at a root: read back at start (a corrupt one kept aside and reported), rewritten whole and
// atomically after changes, one write at a time; changes that come during a write make one more write, of the newest.
import { z } from 'zod';
import { AuditEntrySchema } from '../../src-shared/protocol/audit.ts';
import type { AuditEntry } from '../../src-shared/protocol/audit.ts';
import type { StateStore } from '../../src-node/jsonStateFile.ts';
import { createSerialQueue } from '../../src-shared/async/serialQueue.ts';

export const AuditFileSchema = z.strictObject({ version: z.literal(1), entries: z.array(AuditEntrySchema) });
export type AuditFileContent = z.infer<typeof AuditFileSchema>;

export interface AuditFile {
  /** The entries kept by the last run; a problem when the file was corrupt (then none). */
  load(): Promise<{ entries: AuditEntry[]; problem?: string }>;
  /** Writes what `current` gives when the write comes to be done (a burst of entries costs one or two writes). */
  changed(): void;
  /** Resolves when the writes asked for so far are done. */
  settled(): Promise<void>;
}

export function createAuditFile(store: StateStore<AuditFileContent>, current: () => AuditEntry[], onError: (error: unknown) => void): AuditFile {
  const serial = createSerialQueue();
  let writeQueued = false;
  return {
    async load() {
      const read = await store.load();
      if (read.kind === 'ok') return { entries: read.value.entries };
      if (read.kind === 'corrupt') return { entries: [], problem: `the audit file was corrupt (${read.reason}); kept it as ${read.keptAs} and began a new one` };
      return { entries: [] };
    },
    changed() {
      if (writeQueued) return;
      writeQueued = true;
      serial(() => {
        writeQueued = false;
        return store.save({ version: 1, entries: current() });
      }).catch(onError);
    },
    settled: () => serial(async () => undefined),
  };
}
