import { describe, expect, it } from 'vitest';
import { createConcurrencyCap } from './concurrencyCap.ts';

describe('createConcurrencyCap', () => {
  it('gives out at most max slots, and a released slot (released once, however often called) can be taken again', () => {
    const cap = createConcurrencyCap(2);
    const first = cap.enter();
    const second = cap.enter();
    expect(first && second).toBeTypeOf('function');
    expect(cap.enter()).toBeUndefined();
    first!();
    first!();
    expect(cap.active).toBe(1);
    expect(cap.enter()).toBeTypeOf('function');
    expect(cap.enter()).toBeUndefined();
  });

  it('keeps the reserved slots for privileged callers, who may also take the others', () => {
    const cap = createConcurrencyCap(3, 1);
    const taken = [cap.enter(), cap.enter(), cap.enter()];
    expect(taken.map((release) => typeof release)).toEqual(['function', 'function', 'undefined']);
    expect(cap.enter(true)).toBeTypeOf('function');
    expect(cap.enter(true)).toBeUndefined();
    expect(cap.active).toBe(3);
  });
});
