import { describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from './clock.ts';

describe('createManualClock', () => {
  it('fires due timers in time order, equal times in the order they were set, each at its own time', () => {
    const clock = createManualClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push('late'), 31);
    clock.advance(30);
    expect(fired).toEqual(['a@110', 'b@120', 'c@120']);
    expect(clock.now()).toBe(130);
    expect(clock.pending()).toBe(1);
  });

  it('fires timers set by timers when they fall due within the same advance', () => {
    const clock = createManualClock(0);
    const fired: number[] = [];
    const again = () => {
      fired.push(clock.now());
      clock.setTimeout(again, 10);
    };
    clock.setTimeout(again, 10);
    clock.advance(35);
    expect(fired).toEqual([10, 20, 30]);
  });

  it('a cleared timer never fires and no longer counts as pending', () => {
    const clock = createManualClock(0);
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 5);
    clock.clearTimeout(handle);
    clock.clearTimeout(handle);
    clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pending()).toBe(0);
  });

  it('advanceAsync lets promise chains schedule further timers as time passes', async () => {
    const clock = createManualClock(0);
    const at: number[] = [];
    const step = () =>
      Promise.resolve().then(() => {
        at.push(clock.now());
        if (at.length < 3) clock.setTimeout(step, 100);
      });
    clock.setTimeout(step, 100);
    await clock.advanceAsync(1000);
    expect(at).toEqual([100, 200, 300]);
  });

  it('fires an interval every period, at its own times, until it is cleared', () => {
    const clock = createManualClock(0);
    const at: number[] = [];
    const handle = clock.setInterval(() => at.push(clock.now()), 300);
    clock.advance(1000);
    expect(at).toEqual([300, 600, 900]);
    expect(clock.pending()).toBe(1);
    clock.clearTimeout(handle);
    clock.advance(1000);
    expect(at).toEqual([300, 600, 900]);
    expect(clock.pending()).toBe(0);
  });

  it('stops an interval cleared from its own callback', () => {
    const clock = createManualClock(0);
    let fired = 0;
    const handle = clock.setInterval(() => {
      if (++fired === 2) clock.clearTimeout(handle);
    }, 10);
    clock.advance(100);
    expect(fired).toBe(2);
    expect(clock.pending()).toBe(0);
  });

  it('resolves a sleep once its time has passed, and not before', async () => {
    const clock = createManualClock(0);
    let woke = false;
    const sleeping = clock.sleep(500).then(() => (woke = true));
    await clock.advanceAsync(499);
    expect(woke).toBe(false);
    await clock.advanceAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });
});

describe('systemClock', () => {
  it('does not fire a cleared timer, and fires a later one', async () => {
    const fired: string[] = [];
    systemClock.clearTimeout(systemClock.setTimeout(() => fired.push('cleared'), 1));
    await new Promise<void>((resolve) => systemClock.setTimeout(() => resolve(void fired.push('kept')), 5));
    expect(fired).toEqual(['kept']);
  });
});

describe('systemClock intervals and sleep', () => {
  it('repeats an interval until cleared, and wakes a sleeper', async () => {
    let fired = 0;
    const handle = systemClock.setInterval(() => fired++, 1);
    await systemClock.sleep(30);
    systemClock.clearTimeout(handle);
    const seen = fired;
    await systemClock.sleep(10);
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(fired).toBe(seen);
  });
});
