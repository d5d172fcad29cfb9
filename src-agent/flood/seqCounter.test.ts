import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEQ } from '../../src-shared/protocol/messages.ts';
import { createSeqCounter, wrapSeq } from './seqCounter.ts';
import type { SeqStore } from './seqCounter.ts';

function memoryStore(initial?: number): SeqStore & { saves: number[] } {
  let value = initial;
  const saves: number[] = [];
  return {
    saves,
    load: () => value,
    save(n) {
      saves.push(n);
      value = n;
    },
  };
}

describe('wrapSeq', () => {
  it.each([
    [1, 1],
    [MAX_SEQ, MAX_SEQ],
    [MAX_SEQ + 1, 1],
    [MAX_SEQ + 1000, 1000],
    [2 * MAX_SEQ + 5, 5],
  ])('%i → %i', (n, seq) => {
    expect(wrapSeq(n)).toBe(seq);
  });
});

describe('createSeqCounter', () => {
  it('counts from 1 on a fresh store and saves once per block', () => {
    const store = memoryStore();
    const counter = createSeqCounter(store, 10);
    expect(Array.from({ length: 12 }, () => counter.next())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(store.saves).toEqual([11, 21]);
  });

  it('wraps from 1,000,000 back to 1', () => {
    const counter = createSeqCounter(memoryStore(MAX_SEQ - 1), 5);
    expect(Array.from({ length: 4 }, () => counter.next())).toEqual([MAX_SEQ - 1, MAX_SEQ, 1, 2]);
  });

  it('resumes after a restart past every number the last run may have used', () => {
    const store = memoryStore();
    const first = createSeqCounter(store, 100);
    const used = Array.from({ length: 30 }, () => first.next());
    const second = createSeqCounter(store, 100);
    expect(second.next()).toBe(101);
    expect(used).not.toContain(101);
  });

  it('refuses a stored value outside 1..1,000,000', () => {
    for (const bad of [0, MAX_SEQ + 1, 1.5, -3]) expect(() => createSeqCounter(memoryStore(bad))).toThrow(/outside/);
  });

  it('never reuses a number across restarts, wherever it crashes (until the sequence wraps)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 20 }), (block, runs) => {
        const store = memoryStore();
        const seen = new Set<number>();
        for (const count of runs) {
          const counter = createSeqCounter(store, block);
          for (let i = 0; i < count; i++) {
            const seq = counter.next();
            if (seen.has(seq)) return false;
            seen.add(seq);
          }
        }
        return true;
      }),
    );
  });
});
