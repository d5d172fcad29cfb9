// The audit trail's file at a root: read back at start (a corrupt one kept aside and reported), rewritten whole and
// atomically after changes, one write at a time; changes that come during a write make one more write, of the newest.
import { z } from 'zod';
import { createCoalescedWrite } from '../../src-shared/async/coalescedWrite.ts';
import type { CoalescedWrite } from '../../src-shared/async/coalescedWrite.ts';
import { AuditEntrySchema } from '../../src-shared/protocol/audit.ts';
import type { AuditEntry } from '../../src-shared/protocol/audit.ts';
import type { StateStore } from '../../src-node/jsonStateFile.ts';

export const AuditFileSchema = z.strictObject({ version: z.literal(1), entries: z.array(AuditEntrySchema) });
export type AuditFileContent = z.infer<typeof AuditFileSchema>;

/** `changed` writes what `current` gives when the write comes to be done (a burst of entries costs one or two writes). */
export interface AuditFile extends CoalescedWrite {
  /** The entries kept by the last run; a problem when the file was corrupt (then none). */
  load(): Promise<{ entries: AuditEntry[]; problem?: string }>;
}

export function createAuditFile(store: StateStore<AuditFileContent>, current: () => AuditEntry[], onError: (error: unknown) => void): AuditFile {
  return {
    ...createCoalescedWrite(() => store.save({ version: 1, entries: current() }), onError),
    async load() {
      const read = await store.load();
      if (read.kind === 'ok') return { entries: read.value.entries };
      if (read.kind === 'corrupt') return { entries: [], problem: `the audit file was corrupt (${read.reason}); kept it as ${read.keptAs} and began a new one` };
      return { entries: [] };
    },
  };
}
