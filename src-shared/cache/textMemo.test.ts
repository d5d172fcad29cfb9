import { describe, expect, it } from 'vitest';
import { textMemo } from './textMemo.ts';

describe('textMemo', () => {
  it('reads each text once while it is among the newest, and again once forgotten', () => {
    const read: string[] = [];
    const length = textMemo((text: string) => {
      read.push(text);
      return text.length;
    }, 2);
    expect([length('a'), length('bb'), length('a'), length('bb')]).toEqual([1, 2, 1, 2]);
    expect(read).toEqual(['a', 'bb']);
    length('ccc');
    expect(length('bb')).toBe(2);
    expect(length('a')).toBe(1);
    expect(read).toEqual(['a', 'bb', 'ccc', 'a']);
  });

  it('does not remember a throw', () => {
    let calls = 0;
    const strict = textMemo((text: string) => {
      calls++;
      if (text === 'bad') throw new Error('unreadable');
      return text;
    });
    expect(() => strict('bad')).toThrow('unreadable');
    expect(() => strict('bad')).toThrow('unreadable');
    expect(calls).toBe(2);
  });
});
