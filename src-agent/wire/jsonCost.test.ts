import { describe, expect, it } from 'vitest';
import { jsonCost } from './jsonCost.ts';

const roomy = { maxDepth: 10, maxItems: 100 };

describe('jsonCost', () => {
  it.each<[string, string, { depth: number; items: number }]>([
    ['a bare number', '42', { depth: 0, items: 0 }],
    ['an empty object', '{}', { depth: 1, items: 1 }],
    ['nested containers, each string an item', '{"a":[1,{"b":"c"}],"d":[]}', { depth: 3, items: 8 }],
    ['brackets and braces inside strings, which do not nest', '["[[[{{{", "}}]]"]', { depth: 1, items: 3 }],
    ['an escaped quote, which does not end its string', String.raw`["a\"[[[", "b"]`, { depth: 1, items: 4 }],
    ['an escaped backslash before the closing quote', String.raw`["a\\", ["b"]]`, { depth: 2, items: 4 }],
    ['an unterminated string, for JSON.parse to refuse', '["abc', { depth: 1, items: 2 }],
  ])('measures %s', (_case, text, cost) => {
    expect(jsonCost(text, roomy)).toEqual(cost);
  });

  it.each<[string, string, { maxDepth: number; maxItems: number }, { exceeds: string; at: number }]>([
    ['nesting one level past the bound, where it does', '[[[1]]]', { maxDepth: 2, maxItems: 100 }, { exceeds: 'depth', at: 2 }],
    ['more items than the bound', '[{},{},{}]', { maxDepth: 10, maxItems: 3 }, { exceeds: 'items', at: 7 }],
    ['a string of escaped quotes', String.raw`["\"\"\"\""]`, { maxDepth: 10, maxItems: 4 }, { exceeds: 'items', at: 7 }],
  ])('stops at %s', (_case, text, bounds, stop) => {
    expect(jsonCost(text, bounds)).toEqual(stop);
  });

  it('stops in 32 MiB of nesting where it passes the bound, not at the end', () => {
    const deep = '['.repeat(16 * 1024 * 1024) + ']'.repeat(16 * 1024 * 1024);
    expect(jsonCost(deep, { maxDepth: 32, maxItems: 1 << 20 })).toEqual({ exceeds: 'depth', at: 32 });
  });

  it('agrees with JSON.parse on the depth and count of a real-looking body', () => {
    const body = { nodes: { 'root-1': { files: { 'a.conf': 'x "quoted" {not json} \\' }, commands: ['set a', 'set b'] } }, removed: { nodes: [], tunnels: [] } };
    expect(jsonCost(JSON.stringify(body), roomy)).toEqual({ depth: 4, items: 21 });
  });
});
