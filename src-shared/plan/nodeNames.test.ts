import { describe, expect, it } from 'vitest';
import { byNode, leafNodeName, parseNodeName, rootNodeName, tunnelName } from './nodeNames.ts';

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

describe('byNode', () => {
  it.each([
    ['root-2', 'root-10', -1],
    ['leaf-1-9', 'root-2', -1],
    ['leaf-2-10', 'leaf-2-9', 1],
    ['router', 'root-1', 1],
  ])('orders %s against %s', (a, b, sign) => {
    expect(Math.sign(byNode(a, b))).toBe(sign);
  });
});
