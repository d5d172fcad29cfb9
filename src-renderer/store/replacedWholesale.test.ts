import { describe, expect, it } from 'vitest';
import type { Root } from '../../src-shared/topology/schemas.ts';
import { replacedWholesale } from './replacedWholesale.ts';

const roots = (...ids: number[]): Root[] => ids.map((id) => ({ id, name: `c${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 100 }));
const renamed = (list: Root[]) => list.map((r) => ({ ...r, name: `other-${r.id}` }));

describe('replacedWholesale', () => {
  it.each([
    { what: 'the first topology', before: [], after: roots(1, 2), want: true },
    { what: 'a root added', before: roots(1, 2), after: roots(1, 2, 3), want: false },
    { what: 'a root deleted', before: roots(1, 2, 3), after: roots(1, 3), want: false },
    { what: 'a root renamed', before: roots(1, 2, 3), after: [...roots(1, 2), ...renamed(roots(3))], want: false },
    { what: 'another file', before: roots(1, 2, 3), after: roots(7, 8), want: true },
    { what: 'another file with the same ids', before: roots(1, 2, 3), after: renamed(roots(1, 2, 3, 4, 5)), want: true },
    { what: 'a larger file sharing one root', before: roots(1, 2), after: roots(1, 5, 6, 7), want: true },
    { what: 'half kept', before: roots(1, 2, 3, 4), after: roots(1, 2, 9, 10), want: false },
    { what: 'everything gone', before: roots(1, 2), after: [], want: false },
  ])('$what: $want', ({ before, after, want }) => {
    expect(replacedWholesale(before, after)).toBe(want);
  });
});
