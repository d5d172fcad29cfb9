import { describe, expect, it } from 'vitest';
import { COMPACT_BELOW, FAR_BELOW, selectDetail } from './levelOfDetail.ts';

describe('selectDetail', () => {
  it.each([
    [0.05, 'far'],
    [FAR_BELOW - 0.01, 'far'],
    [FAR_BELOW, 'compact'],
    [COMPACT_BELOW - 0.01, 'compact'],
    [COMPACT_BELOW, 'full'],
    [1, 'full'],
    [2, 'full'],
  ])('at zoom %s: %s', (zoom, want) => {
    expect(selectDetail({ transform: [120, -40, zoom] })).toBe(want);
  });
});
