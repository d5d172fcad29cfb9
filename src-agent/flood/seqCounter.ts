// Message sequence numbers 1..1,000,000, wrapping to 1, reserved in persisted blocks so a restart never reuses one.
import { MAX_SEQ } from '../../src-shared/protocol/messages.ts';

/** Where the counter keeps the first sequence number it has not reserved yet. */
export interface SeqStore {
  load(): number | undefined;
  save(next: number): void;
}

export interface SeqCounter {
  next(): number;
}

/** 1..MAX_SEQ, and MAX_SEQ + 1 is 1 again. */
export function wrapSeq(n: number): number {
  return ((((n - 1) % MAX_SEQ) + MAX_SEQ) % MAX_SEQ) + 1;
}

/**
 * Hands out sequence numbers. Before using a block of `blockSize` numbers it saves the number after the block,
 * so the store is written once per block and a restart resumes past anything that might have been used
 * (skipping at most the rest of one block).
 */
export function createSeqCounter(store: SeqStore, blockSize = 1000): SeqCounter {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize >= MAX_SEQ) throw new RangeError(`blockSize ${blockSize} must be 1..${MAX_SEQ - 1}`);
  const loaded = store.load();
  if (loaded !== undefined && (!Number.isInteger(loaded) || loaded < 1 || loaded > MAX_SEQ)) {
    throw new RangeError(`the stored sequence number ${loaded} is outside 1..${MAX_SEQ}`);
  }
  let next = loaded ?? 1;
  let reserved = 0;
  return {
    next() {
      if (reserved === 0) {
        store.save(wrapSeq(next + blockSize));
        reserved = blockSize;
      }
      const seq = next;
      next = wrapSeq(next + 1);
      reserved--;
      return seq;
    },
  };
}
