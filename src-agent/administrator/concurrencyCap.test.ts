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
});
