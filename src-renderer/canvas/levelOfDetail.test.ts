import { describe, expect, it } from 'vitest';
import { COMPACT_BELOW, selectCompact } from './levelOfDetail.ts';

describe('selectCompact', () => {
  it.each([
    [0.05, true],
    [COMPACT_BELOW - 0.01, true],
    [COMPACT_BELOW, false],
    [1, false],
    [2, false],
  ])('at zoom %s: compact %s', (zoom, want) => {
    expect(selectCompact({ transform: [120, -40, zoom] })).toBe(want);
  });
});
