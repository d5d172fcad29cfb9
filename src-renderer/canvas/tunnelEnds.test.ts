import { describe, expect, it } from 'vitest';
import { tunnelEndsLook, tunnelOverlayLook } from './tunnelEnds.ts';

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

describe('what the overlay says of a tunnel’s drawing', () => {
  it('is one object per state and ends, so that selecting it again is no change', () => {
    const look = tunnelOverlayLook('up', 'ends-down');
    expect(look).toEqual({ state: 'up', ends: 'ends-down' });
    expect(tunnelOverlayLook('up', 'ends-down')).toBe(look);
    expect(tunnelOverlayLook(undefined, undefined)).toBe(tunnelOverlayLook(undefined, undefined));
  });

  it.each([
    ['up', undefined],
    ['down', 'ends-down'],
    [undefined, 'ends-down'],
  ] as const)('differs from another state or ends: %s, %s', (state, ends) => {
    expect(tunnelOverlayLook(state, ends)).not.toBe(tunnelOverlayLook('up', 'ends-down'));
    expect(tunnelOverlayLook(state, ends)).toEqual({ state, ends });
  });
});
