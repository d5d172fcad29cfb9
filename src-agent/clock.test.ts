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
});

describe('systemClock', () => {
  it('does not fire a cleared timer, and fires a later one', async () => {
    const fired: string[] = [];
    systemClock.clearTimeout(systemClock.setTimeout(() => fired.push('cleared'), 1));
    await new Promise<void>((resolve) => systemClock.setTimeout(() => resolve(void fired.push('kept')), 5));
    expect(fired).toEqual(['kept']);
  });
});
