import { describe, expect, it } from 'vitest';
import { leafNodeName, parseNodeName, rootNodeName, tunnelName } from './nodeNames.ts';

describe('nodeNames', () => {
  it.each([
    [9, 3, 'tunnel-3-9'],
    [3, 9, 'tunnel-3-9'],
    [1, 12, 'tunnel-1-12'],
  ])('tunnelName(%i, %i) puts the lower root id first: %s', (a, b, want) => {
    expect(tunnelName(a, b)).toBe(want);
  });

  it.each([
    [rootNodeName(7), { role: 'root', rootId: 7 }],
    [leafNodeName(7, 3), { role: 'leaf', rootId: 7, index: 3 }],
    [tunnelName(1, 2), undefined],
  ])('reads %s back as %j', (name, want) => {
    expect(parseNodeName(name)).toEqual(want);
  });
});
