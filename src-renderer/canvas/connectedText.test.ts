import { describe, expect, it } from 'vitest';
import { connectedText } from './connectedText.ts';

describe('connectedText', () => {
  it.each([
    [12, 400, '12 of 400 clients connected'],
    [0, 100, '0 of 100 clients connected'],
    [1, 1, '1 of 1 client connected'],
  ])('%s of %s: %s', (connected, capacity, want) => {
    expect(connectedText(connected, capacity)).toBe(want);
  });
});
