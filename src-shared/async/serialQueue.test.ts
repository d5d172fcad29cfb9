import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serialQueue.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createSerialQueue', () => {
  it('runs operations one at a time, in the order they were queued', async () => {
    const serial = createSerialQueue();
    const log: string[] = [];
    const op = (name: string, waits: number) => async () => {
      log.push(`start ${name}`);
      for (let i = 0; i < waits; i++) await tick();
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([serial(op('a', 3)), serial(op('b', 0)), serial(op('c', 1))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('gives a failure to its caller only, and runs the next operation anyway', async () => {
    const serial = createSerialQueue();
    const failed = serial(async () => {
      throw new Error('disk full');
    });
    const next = serial(async () => 'written');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('written');
  });
});
