import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validTopology } from '../topology/arbitraries.testkit.ts';
import type { Topology } from '../topology/schemas.ts';
import { forEachPath, islands, rootGraph, transitPath } from './transitPaths.ts';

const graphOf = (ids: number[], tunnels: Array<[number, number]>) =>
  rootGraph(
    ids,
    tunnels.map(([a, b]) => ({ a, b })),
  );
const topologyGraph = (t: Topology) =>
  rootGraph(
    t.roots.map((r) => r.id),
    t.tunnels,
  );

/** Islands by union-find, independent of the search the module uses (test-only). */
function unionFindIslands(t: Topology): Map<number, number> {
  const parent = new Map(t.roots.map((r) => [r.id, r.id]));
  const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const { a, b } of t.tunnels) parent.set(find(a), find(b));
  return new Map(t.roots.map((r) => [r.id, find(r.id)]));
}

/** Fewest tunnels between every two roots by repeated relaxation (Bellman-Ford style), also independent (test-only). */
function distances(t: Topology): Map<string, number> {
  const d = new Map<string, number>();
  for (const r of t.roots) d.set(`${r.id},${r.id}`, 0);
  for (let round = 0; round < t.roots.length; round++) {
    for (const { a, b } of t.tunnels) {
      for (const r of t.roots) {
        for (const [x, y] of [[a, b], [b, a]] as const) {
          const via = d.get(`${r.id},${x}`);
          if (via !== undefined && (d.get(`${r.id},${y}`) ?? Infinity) > via + 1) d.set(`${r.id},${y}`, via + 1);
        }
      }
    }
  }
  return d;
}

describe('transitPath: fewest tunnels, ties broken by the lowest root ids read from the lower-id end', () => {
  it.each([
    { what: 'a direct tunnel', ids: [1, 2], tunnels: [[1, 2]], from: 2, to: 1, path: [2, 1] },
    { what: 'a hub between two spokes', ids: [1, 2, 3], tunnels: [[1, 2], [1, 3]], from: 2, to: 3, path: [2, 1, 3] },
    { what: 'a square: the lower second root', ids: [1, 2, 3, 4], tunnels: [[1, 3], [3, 4], [1, 2], [2, 4]], from: 1, to: 4, path: [1, 2, 4] },
    { what: 'the same square the other way: the reverse', ids: [1, 2, 3, 4], tunnels: [[1, 3], [3, 4], [1, 2], [2, 4]], from: 4, to: 1, path: [4, 2, 1] },
    { what: 'a ring of four, 1 to its opposite', ids: [1, 2, 3, 4], tunnels: [[1, 2], [2, 3], [3, 4], [4, 1]], from: 1, to: 3, path: [1, 2, 3] },
    { what: 'a ring of four, 4 to its opposite (read from 2: 2-1-4 before 2-3-4)', ids: [1, 2, 3, 4], tunnels: [[1, 2], [2, 3], [3, 4], [4, 1]], from: 4, to: 2, path: [4, 1, 2] },
    { what: 'a tie settled at the third root', ids: [1, 5, 7, 9, 10], tunnels: [[1, 5], [5, 9], [5, 7], [9, 10], [7, 10]], from: 1, to: 10, path: [1, 5, 7, 10] },
    { what: 'a longer path never wins on ids', ids: [1, 2, 3, 9], tunnels: [[1, 9], [9, 3], [1, 2], [2, 3]], from: 1, to: 3, path: [1, 2, 3] },
    { what: 'fewer tunnels beat lower ids', ids: [1, 2, 3, 8], tunnels: [[1, 2], [2, 3], [3, 8], [1, 8]], from: 1, to: 8, path: [1, 8] },
    { what: 'islands', ids: [1, 2, 3], tunnels: [[1, 2]], from: 1, to: 3, path: undefined },
    { what: 'a root to itself', ids: [1, 2], tunnels: [[1, 2]], from: 2, to: 2, path: [2] },
  ] as const)('$what', ({ ids, tunnels, from, to, path }) => {
    expect(transitPath(graphOf([...ids], tunnels.map(([a, b]) => [a, b])), from, to)).toEqual(path);
  });

  it('refuses a tunnel to a root that is not there', () => {
    expect(() => graphOf([1, 2], [[1, 3]])).toThrow(/tunnel 1-3 names a root that is not in the topology/);
  });
});

describe('paths over drawn topologies', () => {
  it('every path is a path of drawn tunnels with the fewest of them, and a pair has one exactly when the tunnels join it', () => {
    fc.assert(
      fc.property(validTopology, (t) => {
        const graph = topologyGraph(t);
        const drawn = new Set(t.tunnels.flatMap(({ a, b }) => [`${a},${b}`, `${b},${a}`]));
        const island = unionFindIslands(t);
        const fewest = distances(t);
        for (const x of t.roots) {
          for (const y of t.roots) {
            const path = transitPath(graph, x.id, y.id);
            expect(path !== undefined, `${x.id} → ${y.id}`).toBe(island.get(x.id) === island.get(y.id));
            if (!path) continue;
            expect([path[0], path.at(-1)]).toEqual([x.id, y.id]);
            expect(new Set(path).size).toBe(path.length);
            for (let i = 1; i < path.length; i++) expect(drawn.has(`${path[i - 1]},${path[i]}`)).toBe(true);
            expect(path.length - 1).toBe(fewest.get(`${x.id},${y.id}`));
            expect(transitPath(graph, y.id, x.id)).toEqual([...path].reverse());
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('forEachPath visits each joined pair once, lower id first, with the same path as transitPath', () => {
    fc.assert(
      fc.property(validTopology, (t) => {
        const graph = topologyGraph(t);
        const visited: number[][] = [];
        forEachPath(graph, (path) => visited.push(path.map((i) => graph.ids[i]!)));
        const byIds = (p: number[], q: number[]) => p[0]! - q[0]! || p[1]! - q[1]!;
        const joined = t.roots.flatMap((x) => t.roots.filter((y) => x.id < y.id && transitPath(graph, x.id, y.id)).map((y) => [x.id, y.id]));
        expect(visited.map((p) => [p[0]!, p.at(-1)!]).sort(byIds)).toEqual(joined.sort(byIds));
        for (const path of visited) expect(path).toEqual(transitPath(graph, path[0]!, path.at(-1)!));
      }),
      { numRuns: 60 },
    );
  });

  it('islands: every root in exactly one, joined roots together, ordered by lowest id', () => {
    fc.assert(
      fc.property(validTopology, (t) => {
        const found = islands(topologyGraph(t));
        const island = unionFindIslands(t);
        expect(found.flat().sort((x, y) => x - y)).toEqual(t.roots.map((r) => r.id).sort((x, y) => x - y));
        for (const group of found) expect(new Set(group.map((id) => island.get(id))).size).toBe(1);
        expect(new Set(found.map((group) => island.get(group[0]!))).size).toBe(found.length);
        expect(found.map((g) => g[0])).toEqual(found.map((g) => g[0]).sort((x, y) => x! - y!));
      }),
    );
  });
});
