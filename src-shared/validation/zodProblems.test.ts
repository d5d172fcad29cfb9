import { describe as suite, expect, it } from 'vitest';
import { z } from 'zod';
import { describe, formatProblem, zodProblems } from './zodProblems.ts';

const Schema = z.strictObject({ name: z.string().max(3), port: z.int(), tags: z.array(z.string()), nested: z.strictObject({ on: z.boolean() }) });
const problemsOf = (value: unknown, options = {}) => {
  const parsed = Schema.safeParse(value, { reportInput: true });
  if (parsed.success) throw new Error('expected problems');
  return zodProblems(parsed.error, '(top)', '', options).map(formatProblem);
};

suite('zodProblems', () => {
  it('says where, what was expected and what was found, for every issue', () => {
    expect(problemsOf({ name: 'toolong', port: 'x', tags: [1], nested: { on: true }, colour: 1 })).toEqual([
      'name: Too big: expected string to have <=3 characters, found "toolong"',
      'port: Invalid input: expected number, received string, found "x"',
      'tags[0]: Invalid input: expected string, received number, found 1',
      'colour: unknown field',
    ]);
  });

  it('says missing for a field that is absent, and names the whole value when the path is empty', () => {
    expect(problemsOf({ name: 'a', port: 1, tags: [] })).toEqual(['nested: missing, Invalid input: expected object, received undefined']);
    expect(problemsOf(7)).toEqual(['(top): Invalid input: expected object, received number, found 7']);
  });

  it('prefixes every path when asked', () => {
    const parsed = Schema.safeParse({ name: 'a', port: 1, tags: [], nested: { on: 1 } }, { reportInput: true });
    expect(zodProblems(parsed.error!, 'body', 'roots[0]').map(formatProblem)).toEqual(['roots[0].nested.on: Invalid input: expected boolean, received number, found 1']);
  });

  it('never quotes a value when the values may be secret, saying only their kind', () => {
    const problems = problemsOf({ name: 'hunter2-secret', port: 'k3y', tags: [true], nested: { on: 'yes' } }, { quoteValues: false });
    expect(problems).toEqual([
      'name: Too big: expected string to have <=3 characters, found a string of 14 characters',
      'port: Invalid input: expected number, received string, found a string of 3 characters',
      'tags[0]: Invalid input: expected string, received boolean, found a boolean',
      'nested.on: Invalid input: expected boolean, received string, found a string of 3 characters',
    ]);
    for (const problem of problems) expect(problem).not.toMatch(/hunter2|k3y|yes/);
  });
});

suite('describe', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [[1, 2], 'an array of 2'],
    [{ a: 1 }, 'an object'],
    ['x'.repeat(41), `"${'x'.repeat(40)}…"`],
    [12, '12'],
  ])('describes %j as %s', (value, expected) => {
    expect(describe(value)).toBe(expected);
  });
});
