import { describe, expect, it } from 'vitest';
import { NO_REST, lastLine, splitLines } from './lineSplitter.ts';
import type { LineRest } from './lineSplitter.ts';

/** Feeds the chunks in order, as bytes or as text, as a stream would: every line out, then what is left (or that a line was too long). */
function feed<C extends Buffer | string>(chunks: readonly string[], maxLength: number, as: (text: string) => C) {
  const lines: string[] = [];
  let rest: LineRest<C> = NO_REST;
  for (const chunk of chunks) {
    const split = splitLines(rest, as(chunk), maxLength);
    lines.push(...split.lines.map((line) => line.toString()));
    if (split.tooLong) return { lines, end: 'too long' };
    rest = split.rest;
  }
  return { lines, end: lastLine(rest)?.toString() ?? null };
}

const kinds: Array<[string, (text: string) => Buffer | string]> = [
  ['bytes', (text) => Buffer.from(text)],
  ['text', (text) => text],
];

describe('splitLines', () => {
  it.each<[string, string[], number, string[], string | null]>([
    ['one line', ['{"n":0}\n'], 10, ['{"n":0}'], null],
    ['several lines in one chunk', ['a\nbb\nccc\n'], 10, ['a', 'bb', 'ccc'], null],
    ['empty lines, kept', ['\n\na\n'], 10, ['', '', 'a'], null],
    ['a line in pieces', ['ab', 'cd', 'e\nf'], 10, ['abcde'], 'f'],
    ['a newline alone completes the pieces before it', ['abc', '\n'], 10, ['abc'], null],
    ['an empty chunk changes nothing', ['ab', '', 'c\n'], 10, ['abc'], null],
    ['a stream that ends without a newline', ['a\nbc', 'd'], 10, ['a'], 'bcd'],
    ['a line exactly at the limit', ['abcd\n'], 4, ['abcd'], null],
    ['a line in pieces exactly at the limit', ['ab', 'cd\n'], 4, ['abcd'], null],
    ['a line past the limit, after the lines before it', ['a\nbcdef\ng\n'], 4, ['a'], 'too long'],
    ['a line in pieces past the limit', ['ab', 'cd', 'e\n'], 4, [], 'too long'],
    ['a line past the limit before its newline arrives', ['a\nbc', 'def'], 4, ['a'], 'too long'],
    ['a rest exactly at the limit waits for more', ['a\nbcde'], 4, ['a'], 'bcde'],
  ])('%s', (_case, chunks, maxLength, lines, end) => {
    for (const [, as] of kinds) expect(feed(chunks, maxLength, as)).toEqual({ lines, end });
  });

  it('counts a line in the units of its chunks: bytes, or characters once decoded', () => {
    expect(feed(['ééé\n'], 3, (text) => Buffer.from(text))).toEqual({ lines: [], end: 'too long' });
    expect(feed(['ééé\n'], 3, (text) => text)).toEqual({ lines: ['ééé'], end: null });
  });

  it('gives a line within one chunk as a view of it, not a copy, and copies a line in pieces once', () => {
    const chunk = Buffer.from('abc\nde');
    const first = splitLines(NO_REST, chunk, 100);
    expect(first.lines[0]!.buffer).toBe(chunk.buffer);
    const second = splitLines(first.rest!, Buffer.from('f\n'), 100);
    expect(second.lines[0]!.toString()).toBe('def');
    expect(second.rest).toBe(NO_REST);
  });

  it('does not change the rest it is given', () => {
    const rest = splitLines(NO_REST, 'ab', 10).rest!;
    splitLines(rest, 'c\nd', 10);
    expect(rest).toEqual({ pieces: ['ab'], length: 2 });
  });
});
