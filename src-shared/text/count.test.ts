import { describe, expect, it } from 'vitest';
import { count } from './count.ts';

describe('count', () => {
  it.each([
    [0, 'root', undefined, '0 roots'],
    [1, 'root', undefined, '1 root'],
    [2, 'root', undefined, '2 roots'],
    [1, 'leaf', 'leaves', '1 leaf'],
    [4, 'leaf', 'leaves', '4 leaves'],
  ])('%i %s → %s', (n, singular, plural, want) => {
    expect(count(n, singular, plural)).toBe(want);
  });
});
