import { describe, expect, it } from 'vitest';
import { createOriginBudget } from './originBudget.ts';

describe('createOriginBudget', () => {
  it('lets an origin send its burst, then as fast as it earns back, and no faster', () => {
    let t = 0;
    const budget = createOriginBudget({ now: () => t, burst: 5, perSecond: 2 });
    const taken = () => Array.from({ length: 10 }, () => budget.take('leaf-1-1')).filter(Boolean).length;
    expect(taken()).toBe(5);
    t += 1_000;
    expect(taken()).toBe(2);
    t += 60_000;
    expect(taken()).toBe(5);
  });

  it("keeps each origin's bucket apart", () => {
    const budget = createOriginBudget({ now: () => 0, burst: 3, perSecond: 1 });
    for (let i = 0; i < 10; i++) budget.take('leaf-1-1');
    expect(budget.take('leaf-1-1')).toBe(false);
    expect(budget.take('root-1')).toBe(true);
  });

  it('forgets origins with a full bucket past its bound, never one that is spending', () => {
    let t = 0;
    const budget = createOriginBudget({ now: () => t, burst: 2, perSecond: 1, maxOrigins: 2 });
    budget.take('a');
    budget.take('a');
    budget.take('b');
    t += 1_000;
    // b is full again and forgotten for c; a is not, so its empty bucket stays.
    budget.take('c');
    expect(budget.take('a')).toBe(true);
    expect(budget.take('a')).toBe(false);
  });
});
