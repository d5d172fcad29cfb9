import { describe, expect, it } from 'vitest';
import { MAX_REASON_CHARS, boundReason, listProblems } from './refusalReason.ts';

const unknown = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `f${i}`, message: 'unknown field' }));

describe('listProblems', () => {
  const five = 'f0: unknown field; f1: unknown field; f2: unknown field; f3: unknown field; f4: unknown field';
  it.each([
    { problems: 1, reason: 'f0: unknown field' },
    { problems: 5, reason: five },
    { problems: 6, reason: `${five}; and 1 more problem` },
    { problems: 10_000, reason: `${five}; and 9995 more problems` },
  ])('lists $problems problems as the first five and a count of the rest', ({ problems, reason }) => {
    expect(listProblems(unknown(problems))).toBe(reason);
  });

  it('lists fewer when long ones would not fit in a reason, but always the first', () => {
    const long = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `f${i}`, message: 'y'.repeat(200) }));
    expect(listProblems(long(5))).toBe(`f0: ${'y'.repeat(200)}; f1: ${'y'.repeat(200)}; and 3 more problems`);
    expect(listProblems([{ path: 'f', message: 'y'.repeat(1_000) }])).toBe(`f: ${'y'.repeat(1_000)}`);
  });
});

describe('boundReason', () => {
  it('leaves a reason within the bound as it is', () => {
    expect(boundReason('x'.repeat(MAX_REASON_CHARS))).toBe('x'.repeat(MAX_REASON_CHARS));
  });

  it('cuts a longer one, saying how much was left out', () => {
    expect(boundReason('x'.repeat(MAX_REASON_CHARS + 1_000))).toBe(`${'x'.repeat(MAX_REASON_CHARS)}… (1000 more characters)`);
  });
});
