import { describe, expect, it } from 'vitest';
import { tunnelEndsLook } from './tunnelEnds.ts';

describe('a tunnel drawn by its ends', () => {
  it.each([
    { a: 'alive', b: 'alive', look: undefined },
    { a: 'alive', b: 'down', look: 'ends-down' },
    { a: 'down', b: 'failed', look: 'ends-down' },
    { a: 'failed', b: 'deploying', look: 'ends-failed' },
    { a: undefined, b: 'pending', look: undefined },
  ] as const)('$a and $b: $look', ({ a, b, look }) => {
    expect(tunnelEndsLook(a, b)).toBe(look);
  });
});
