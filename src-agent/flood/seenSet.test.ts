import { describe, expect, it } from 'vitest';
import { ENTRY_OVERHEAD_BYTES, SEEN_TTL_MS, createSeenSet } from './seenSet.ts';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createSeenSet', () => {
  it('keeps an entry for exactly ten minutes', () => {
    const c = clock(1000);
    const seen = createSeenSet({ now: c.now });
    seen.add('a');
    c.advance(SEEN_TTL_MS - 1);
    expect(seen.has('a')).toBe(true);
    c.advance(1);
    expect(seen.has('a')).toBe(false);
    expect(seen.size).toBe(0);
  });

  it('re-adding an entry keeps its first expiry', () => {
    const c = clock();
    const seen = createSeenSet({ now: c.now, ttlMs: 100 });
    seen.add('a');
    c.advance(60);
    seen.add('a');
    expect(seen.size).toBe(1);
    c.advance(40);
    expect(seen.has('a')).toBe(false);
    expect(seen.approxBytes()).toBe(0);
  });

  it('stays bounded under steady traffic: about rate × ttl entries, no matter how long it runs', () => {
    const c = clock();
    const seen = createSeenSet({ now: c.now });
    // 20 messages a second for two hours.
    for (let i = 0; i < 20 * 7200; i++) {
      seen.add(`m${i}`);
      c.advance(50);
      if (i % 20_000 === 0 && i > 0) expect(seen.size).toBeLessThanOrEqual(12_001);
    }
    expect(seen.size).toBeLessThanOrEqual(20 * 600 + 1);
    expect(seen.size).toBeGreaterThanOrEqual(20 * 600 - 1);
  });

  it('removes every expired entry once time has passed, however many', () => {
    const c = clock();
    const seen = createSeenSet({ now: c.now, ttlMs: 10 });
    for (let i = 0; i < 5000; i++) seen.add(`m${i}`);
    c.advance(9);
    seen.add('late');
    c.advance(1);
    expect(seen.has('m0')).toBe(false);
    expect(seen.size).toBe(1);
    expect(seen.has('late')).toBe(true);
  });

  it('past its cap drops the oldest entries and counts them', () => {
    const c = clock();
    const seen = createSeenSet({ now: c.now, maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) seen.add(key);
    expect(seen.size).toBe(3);
    expect(seen.evictedEarly).toBe(2);
    expect(['a', 'b', 'c', 'd', 'e'].map((k) => seen.has(k))).toEqual([false, false, true, true, true]);
  });

  it('estimates its memory from its entries and their keys', () => {
    const c = clock();
    const seen = createSeenSet({ now: c.now, ttlMs: 100 });
    expect(seen.approxBytes()).toBe(0);
    seen.add('x'.repeat(22));
    seen.add('y'.repeat(22));
    expect(seen.approxBytes()).toBe(2 * (ENTRY_OVERHEAD_BYTES + 22));
    c.advance(100);
    seen.has('z');
    expect(seen.approxBytes()).toBe(0);
  });
});

describe('a seen-set across a restart', () => {
  it('gives back its live entries, and a set made from them knows them until their own expiry', () => {
    let t = 1_000_000;
    const first = createSeenSet({ now: () => t, ttlMs: 1_000 });
    first.add('a');
    t += 400;
    first.add('b');
    t += 700;
    // 'a' has expired by now; 'b' has 300 ms left.
    expect(first.entries()).toEqual([['b', 2_400 + 1_000_000 - 1_000]]);
    const second = createSeenSet({ now: () => t, ttlMs: 1_000, restored: first.entries() });
    expect(second.has('b')).toBe(true);
    expect(second.has('a')).toBe(false);
    t += 299;
    expect(second.has('b')).toBe(true);
    t += 1;
    expect(second.has('b')).toBe(false);
  });

  it('drops restored entries that are expired, unordered, duplicated or beyond the cap, keeping the latest', () => {
    const t = 5_000;
    const set = createSeenSet({
      now: () => t,
      ttlMs: 1_000,
      maxEntries: 2,
      restored: [['late', 5_900], ['gone', 4_999], ['early', 5_100], ['late', 5_900], ['mid', 5_500], ['far', 9_000]],
    });
    expect(set.entries()).toEqual([['mid', 5_500], ['late', 5_900]]);
  });
});
