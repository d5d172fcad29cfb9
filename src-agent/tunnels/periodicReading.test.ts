import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.ts';
import { createPeriodicReading } from './periodicReading.ts';

/** A reading that answers each call with the next value, or throws for an Error, after `takesMs` on the manual clock. */
function setup(values: Array<number | Error>, takesMs = 0) {
  const clock = createManualClock();
  const started: number[] = [];
  const changes: number[] = [];
  const errors: unknown[] = [];
  const reading = createPeriodicReading<number>({
    read: async () => {
      started.push(clock.now());
      if (takesMs > 0) await clock.sleep(takesMs);
      const value = values.shift() ?? 0;
      if (value instanceof Error) throw value;
      return value;
    },
    clock,
    intervalMs: 1_000,
    same: (a, b) => a === b,
    onChange: (value) => changes.push(value),
    onError: (error) => errors.push(error),
  });
  return { clock, reading, started, changes, errors };
}

describe('createPeriodicReading', () => {
  it('has nothing before its first reading, then keeps the last, told only of changes', async () => {
    const { clock, reading, changes } = setup([1, 1, 2]);
    expect(reading.latest()).toBeUndefined();
    reading.start();
    await clock.advanceAsync(0);
    expect(reading.latest()).toBe(1);
    await clock.advanceAsync(2_000);
    expect(reading.latest()).toBe(2);
    expect(changes).toEqual([1, 2]);
  });

  it('keeps the last good reading through a failed one, and reads again on time', async () => {
    const { clock, reading, errors, started } = setup([5, new Error('swanctl timed out'), 6]);
    reading.start();
    await clock.advanceAsync(1_000);
    expect(reading.latest()).toBe(5);
    expect(errors.map(String)).toEqual(['Error: swanctl timed out']);
    await clock.advanceAsync(1_000);
    expect(reading.latest()).toBe(6);
    expect(started).toEqual([0, 1_000, 2_000]);
  });

  it('never runs two readings at once: the interval counts from the end of a slow one', async () => {
    const { clock, reading, started } = setup([1, 2, 3], 1_500);
    reading.start();
    await clock.advanceAsync(5_500);
    expect(started).toEqual([0, 2_500, 5_000]);
    // While a slow reading runs, the last one is at hand at once.
    expect(reading.latest()).toBe(2);
  });

  it('reads no more once stopped', async () => {
    const { clock, reading, started } = setup([1, 2]);
    reading.start();
    await clock.advanceAsync(0);
    reading.stop();
    await clock.advanceAsync(5_000);
    expect(started).toEqual([0]);
    expect(clock.pending()).toBe(0);
  });
});
