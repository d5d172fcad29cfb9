// The audit trail as one root keeps it, pure: every entry once, in the order it reached this root, within a count and a
// size, refused logins within a share of their own so that guessers cannot push anything else out.
import type { AuditEntry } from '../../src-shared/protocol/audit.ts';

export interface AuditLogLimits {
  /** Entries kept at most; past it the oldest go. */
  maxEntries: number;
  /** Their JSON's bytes at most (what the file and an answer of everything weigh); past it the oldest go. */
  maxBytes: number;
  /** Of the entries, refused logins at most; past it the oldest refused login goes, and nothing else. */
  maxRefusals: number;
}

/**
 * A login, a deploy's few entries and its logout make a handful of entries a session: 2,000 is some hundreds of
 * sessions. Entries are 150–400 bytes but for a big deploy's plan and outcome pages (up to 128 KiB each), hence the
 * byte bound, which also bounds the file written at each change.
 */
export const AUDIT_LOG_LIMITS: AuditLogLimits = { maxEntries: 2_000, maxBytes: 4 * 1024 * 1024, maxRefusals: 500 };

export interface AuditQuery {
  /** Entries recorded at or after this (epoch ms), when given. */
  since?: number;
  limit: number;
}

export interface AuditLog {
  /** Keeps an entry; false for one kept already (its id is known), which changes nothing. */
  add(entry: AuditEntry): boolean;
  /** The newest `limit` entries since `since`, oldest first by the time they were recorded; `omitted` the older rest. */
  read(query: AuditQuery): { entries: AuditEntry[]; omitted: number };
  /** Every entry kept, in the order they were kept: what the file holds. */
  entries(): AuditEntry[];
}

interface Kept {
  entry: AuditEntry;
  bytes: number;
}

const isRefusal = (entry: AuditEntry) => entry.event.kind === 'login-refused';

export function createAuditLog(limits: AuditLogLimits = AUDIT_LOG_LIMITS, restored: readonly AuditEntry[] = []): AuditLog {
  const kept: Kept[] = [];
  const ids = new Set<string>();
  let bytes = 0;
  let refusals = 0;

  const drop = (index: number) => {
    const [gone] = kept.splice(index, 1);
    ids.delete(gone!.entry.id);
    bytes -= gone!.bytes;
    if (isRefusal(gone!.entry)) refusals--;
  };

  const add = (entry: AuditEntry): boolean => {
    if (ids.has(entry.id)) return false;
    kept.push({ entry, bytes: Buffer.byteLength(JSON.stringify(entry)) });
    ids.add(entry.id);
    bytes += kept.at(-1)!.bytes;
    if (isRefusal(entry) && ++refusals > limits.maxRefusals) drop(kept.findIndex((k) => isRefusal(k.entry)));
    while (kept.length > 1 && (kept.length > limits.maxEntries || bytes > limits.maxBytes)) drop(0);
    return true;
  };
  for (const entry of restored) add(entry);

  return {
    add,
    read({ since, limit }) {
      // Sorted when asked: entries from other roots arrive late and carry their own root's time.
      const matching = kept.map((k) => k.entry).filter((e) => since === undefined || e.at >= since);
      matching.sort((a, b) => a.at - b.at);
      const omitted = Math.max(0, matching.length - limit);
      return { entries: matching.slice(omitted), omitted };
    },
    entries: () => kept.map((k) => k.entry),
  };
}
