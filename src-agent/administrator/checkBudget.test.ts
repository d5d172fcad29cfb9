import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.ts';
import { createCheckBudget } from './checkBudget.ts';

function setup(options: { perMinute?: number; reservedPerMinute?: number } = {}) {
  const clock = createManualClock(1_000_000);
  const budget = createCheckBudget({ now: clock.now, perMinute: 10, reservedPerMinute: 5, ...options });
  const takeMany = (n: number, known: boolean) => Array.from({ length: n }, () => budget.take(known).allowed).filter(Boolean).length;
  return { clock, budget, takeMany };
}

describe('createCheckBudget', () => {
  it('gives anyone a minute’s worth at once, then one every 60 / perMinute s, however many ask', () => {
    const { clock, budget, takeMany } = setup();
    expect(takeMany(100, false)).toBe(10);
    expect(budget.take(false)).toEqual({ allowed: false, retryAfterMs: 6_000 });
    clock.advance(5_999);
    expect(budget.take(false).allowed).toBe(false);
    clock.advance(1);
    expect(takeMany(100, false)).toBe(1);
    clock.advance(10 * 60_000);
    expect(takeMany(100, false)).toBe(10);
  });

  it('keeps a share for sources that logged in before, which the others cannot use up', () => {
    const { clock, budget, takeMany } = setup();
    expect(takeMany(100, false)).toBe(10);
    expect(takeMany(100, true)).toBe(5);
    expect(budget.take(true)).toEqual({ allowed: false, retryAfterMs: 6_000 });
    clock.advance(12_000);
    // Two general checks and one reserved are due: a guesser gets the general ones only.
    expect(takeMany(100, false)).toBe(2);
    expect(takeMany(100, true)).toBe(1);
  });

  it('the known take the general share first, so the reserved one lasts until the general is gone', () => {
    const { takeMany } = setup();
    expect(takeMany(10, true)).toBe(10);
    expect(takeMany(100, false)).toBe(0);
    expect(takeMany(100, true)).toBe(5);
  });

  it('takes back a check given back, once, into the share it came from', () => {
    const { budget, takeMany } = setup();
    expect(takeMany(10, false)).toBe(10);
    const reservedOne = budget.take(true);
    if (!reservedOne.allowed) throw new Error('expected a reserved check');
    reservedOne.giveBack();
    reservedOne.giveBack();
    expect(takeMany(100, false)).toBe(0);
    expect(takeMany(100, true)).toBe(5);
  });

  it('with no reserved share, the known wait for the general one like anyone', () => {
    const { budget, takeMany } = setup({ reservedPerMinute: 0 });
    expect(takeMany(100, true)).toBe(10);
    expect(budget.take(true)).toEqual({ allowed: false, retryAfterMs: 6_000 });
  });
});
