// What keys typed at a password prompt make of the answer, echo off: pure, so the prompt's rules are tested without a terminal.

export interface Typing {
  answer: string;
  /** `enter` once the answer is complete; `cancel` at Ctrl-C (raw mode turns it into a key, not a signal). */
  done?: 'enter' | 'cancel';
}

const ENTER = new Set(['\r', '\n', '\u0004']);
const CANCEL = '\u0003';
const ERASE = new Set(['\u007f', '\b']);

/** Applies what one read brought; characters after Enter or Ctrl-C are not the answer's. */
export function typeHidden(typing: Typing, chunk: string): Typing {
  let answer = typing.answer;
  if (typing.done) return typing;
  for (const char of chunk) {
    if (ENTER.has(char)) return { answer, done: 'enter' };
    if (char === CANCEL) return { answer: '', done: 'cancel' };
    // A whole character, not half of a surrogate pair.
    if (ERASE.has(char)) answer = Array.from(answer).slice(0, -1).join('');
    else if (char >= ' ') answer += char;
  }
  return { answer };
}
