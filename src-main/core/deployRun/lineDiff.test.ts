import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineDiff } from './lineDiff.ts';

/** Rebuilds both sides from the hunks and the unchanged lines between them, as `patch` would. */
function sides(before: string, hunks: string[]): { old: string[]; new: string[] } {
  const oldLines = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const result: string[] = [];
  let at = 0;
  for (const line of hunks) {
    const header = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (header) {
      const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
      result.push(...oldLines.slice(at, start));
      at = start;
    } else if (line[0] === ' ') {
      expect(oldLines[at]).toBe(line.slice(1));
      result.push(line.slice(1));
      at++;
    } else if (line[0] === '-') {
      expect(oldLines[at]).toBe(line.slice(1));
      at++;
    } else result.push(line.slice(1));
  }
  return { old: oldLines, new: [...result, ...oldLines.slice(at)] };
}

/** Length of the longest common subsequence, by dynamic programming: the minimal diff changes all the rest. */
function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

describe('lineDiff', () => {
  it.each([
    { name: 'same text', before: 'a\nb\n', after: 'a\nb\n', hunks: [] },
    { name: 'a line changed', before: 'a\nb\nc\n', after: 'a\nB\nc\n', hunks: ['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c'] },
    { name: 'a new file', before: '', after: 'x\ny\n', hunks: ['@@ -0,0 +1,2 @@', '+x', '+y'] },
    { name: 'a removed file', before: 'x\n', after: '', hunks: ['@@ -1,1 +0,0 @@', '-x'] },
    {
      name: 'two changes far apart make two hunks',
      before: 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n',
      after: 'A\nb\nc\nd\ne\nf\ng\nh\ni\nJ\n',
      hunks: ['@@ -1,4 +1,4 @@', '-a', '+A', ' b', ' c', ' d', '@@ -7,4 +7,4 @@', ' g', ' h', ' i', '-j', '+J'],
    },
    { name: 'an insertion with nothing before it in the hunk', before: 'a\nb\nc\nd\ne\n', after: 'a\nb\nc\nd\ne\nf\n', hunks: ['@@ -3,3 +3,4 @@', ' c', ' d', ' e', '+f'] },
  ])('$name', ({ before, after, hunks }) => {
    expect(lineDiff(before, after)).toEqual(hunks);
  });

  it('takes a whole context of 0', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nB\nc\n', 0)).toEqual(['@@ -2,1 +2,1 @@', '-b', '+B']);
  });

  it('rebuilds both texts, and changes no more lines than it must', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 }).map((lines) => lines.map((l) => `${l}\n`).join(''));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), (before, after, context) => {
        const hunks = lineDiff(before, after, context);
        const rebuilt = sides(before, hunks);
        const afterLines = after === '' ? [] : after.replace(/\n$/, '').split('\n');
        expect(rebuilt.new).toEqual(afterLines);
        const changed = hunks.filter((l) => l[0] === '-' || l[0] === '+').length;
        expect(changed).toBe(rebuilt.old.length + afterLines.length - 2 * lcs(rebuilt.old, afterLines));
      }),
      { numRuns: 500 },
    );
  });
});
