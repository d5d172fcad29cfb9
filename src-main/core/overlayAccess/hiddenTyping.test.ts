import { describe, expect, it } from 'vitest';
import { typeHidden } from './hiddenTyping.ts';
import type { Typing } from './hiddenTyping.ts';

const typeAll = (...chunks: string[]) => chunks.reduce<Typing>(typeHidden, { answer: '' });

describe('typeHidden', () => {
  it.each([
    ['keys then Enter', ['secret', '\r'], { answer: 'secret', done: 'enter' }],
    ['a line pasted at once', ['pasted secret\n'], { answer: 'pasted secret', done: 'enter' }],
    ['keys not yet ended', ['sec', 'ret'], { answer: 'secret' }],
    ['backspace and delete erasing', ['secrex\u007f', 't\b\bet\r'], { answer: 'secret', done: 'enter' }],
    ['erasing a whole emoji, not half of it', ['ab😀\u007f\r'], { answer: 'ab', done: 'enter' }],
    ['Ctrl-D ending the answer', ['abc\u0004'], { answer: 'abc', done: 'enter' }],
    ['Ctrl-C cancelling, forgetting what was typed', ['abc\u0003'], { answer: '', done: 'cancel' }],
    ['other control keys ignored', ['a\u001bb\r'], { answer: 'ab', done: 'enter' }],
    ['what follows Enter not taken', ['abc\rdef', 'ghi'], { answer: 'abc', done: 'enter' }],
  ])('%s', (_, chunks, expected) => {
    expect(typeAll(...chunks)).toEqual(expected);
  });
});
