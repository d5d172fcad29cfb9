import { describe, expect, it } from 'vitest';
import { createCoalescedWrite } from './coalescedWrite.ts';

describe('a coalesced write', () => {
  it('writes once for a burst of changes, and once more for changes during a write, each time the newest', async () => {
    let state = 0;
    const written: number[] = [];
    let release = () => {};
    const write = createCoalescedWrite(
      () =>
        new Promise<void>((done) => {
          written.push(state);
          release = done;
        }),
      () => {},
    );
    write.changed();
    state = 1;
    write.changed();
    write.changed();
    await Promise.resolve();
    await Promise.resolve();
    expect(written).toEqual([1]);
    state = 2;
    write.changed();
    state = 3;
    write.changed();
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([1, 3]);
    release();
    await write.settled();
    expect(written).toEqual([1, 3]);
  });

  it('tells a failed write and goes on with the next', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const written: string[] = [];
    const write = createCoalescedWrite(async () => {
      if (fail) throw new Error('disk full');
      written.push('ok');
    }, (error) => errors.push(error));
    write.changed();
    await write.settled();
    fail = false;
    write.changed();
    await write.settled();
    expect(errors).toEqual([new Error('disk full')]);
    expect(written).toEqual(['ok']);
  });
});
