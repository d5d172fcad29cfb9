import { describe, expect, it } from 'vitest';
import { replacedWholesale } from './replacedWholesale.ts';

describe('replacedWholesale', () => {
  it.each([
    { what: 'the first topology', before: [], after: [1, 2], want: true },
    { what: 'a root added', before: [1, 2], after: [1, 2, 3], want: false },
    { what: 'a root deleted', before: [1, 2, 3], after: [1, 3], want: false },
    { what: 'another file', before: [1, 2, 3], after: [7, 8], want: true },
    { what: 'a larger file sharing one id', before: [1, 2], after: [1, 5, 6, 7], want: true },
    { what: 'half kept', before: [1, 2, 3, 4], after: [1, 2, 9, 10], want: false },
    { what: 'everything gone', before: [1, 2], after: [], want: false },
  ])('$what: $want', ({ before, after, want }) => {
    expect(replacedWholesale(before, after)).toBe(want);
  });
});
