import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrefix, prefixContains } from '../net/ipv4.ts';
import { makeRoot, validTopology } from '../topology/arbitraries.testkit.ts';
import type { Topology } from '../topology/schemas.ts';
import { planRoutes, type RoutePlan } from './planRoutes.ts';
import { rootGraph, transitPath } from './transitPaths.ts';

const topology = (ids: number[], tunnels: Array<[number, number]>): Topology => ({
  roots: ids.map((id) => makeRoot(id)),
  tunnels: tunnels.map(([a, b]) => ({ a, b })),
});

/** The roots whose overlay a side's prefixes hold (test-only: overlays are disjoint /16s). */
const rootsIn = (t: Topology, side: readonly string[]) =>
  t.roots.filter((r) => side.some((p) => prefixContains(parsePrefix(p)!, parsePrefix(r.overlay)!.base))).map((r) => r.id);

/** Every (a-side root, b-side root) pair a tunnel's selectors cover, as "x>y" (test-only). */
function coveredPairs(t: Topology, routes: RoutePlan['tunnels'][number]): string[] {
  return routes.selectors.flatMap((s) => rootsIn(t, s.aSide).flatMap((x) => rootsIn(t, s.bSide).map((y) => `${x}>${y}`))).sort();
}

/** The (a-side, b-side) pairs whose path crosses tunnel a–b, read from transitPath (test-only). */
function crossingPairs(t: Topology, a: number, b: number): string[] {
  const graph = rootGraph(
    t.roots.map((r) => r.id),
    t.tunnels,
  );
  const out: string[] = [];
  for (const x of t.roots) {
    for (const y of t.roots) {
      const path = transitPath(graph, x.id, y.id) ?? [];
      if (path.some((v, i) => i > 0 && path[i - 1] === a && v === b)) out.push(`${x.id}>${y.id}`);
    }
  }
  return out.sort();
}

describe('planRoutes', () => {
  it('a hub and two spokes: the hub carries each spoke to the other, in one selector per tunnel', () => {
    const routes = planRoutes(topology([1, 2, 3], [[1, 2], [3, 1]]));
    expect(routes.tunnels).toEqual([
      { a: 1, b: 2, name: 'tunnel-1-2', selectors: [{ aSide: ['10.1.0.0/16', '10.3.0.0/16'], bSide: ['10.2.0.0/16'] }], aToB: ['10.2.0.0/16'], bToA: ['10.1.0.0/16', '10.3.0.0/16'] },
      { a: 1, b: 3, name: 'tunnel-1-3', selectors: [{ aSide: ['10.1.0.0/16', '10.2.0.0/16'], bSide: ['10.3.0.0/16'] }], aToB: ['10.3.0.0/16'], bToA: ['10.1.0.0/16', '10.2.0.0/16'] },
    ]);
    expect(routes.islands).toEqual([[1, 2, 3]]);
  });

  it('a ring of four: opposite roots go the lowest-id way, so a tunnel may need two selectors', () => {
    // Paths: 1-2-3 (1 to 3), 2-1-4 (2 to 4). Tunnel 1–2 carries 1→{2,3} (adjacent /16s: one prefix) and 4→{2}.
    const routes = planRoutes(topology([1, 2, 3, 4], [[1, 2], [2, 3], [3, 4], [4, 1]]));
    const tunnel = (name: string) => routes.tunnels.find((t) => t.name === name)!;
    expect(tunnel('tunnel-1-2').selectors).toEqual([
      { aSide: ['10.1.0.0/16'], bSide: ['10.2.0.0/15'] },
      { aSide: ['10.4.0.0/16'], bSide: ['10.2.0.0/16'] },
    ]);
    expect(tunnel('tunnel-3-4').selectors).toEqual([{ aSide: ['10.3.0.0/16'], bSide: ['10.4.0.0/16'] }]);
    expect(tunnel('tunnel-1-4').selectors).toEqual([{ aSide: ['10.1.0.0/16', '10.2.0.0/16'], bSide: ['10.4.0.0/16'] }]);
    expect(tunnel('tunnel-2-3').selectors).toEqual([{ aSide: ['10.1.0.0/16', '10.2.0.0/16'], bSide: ['10.3.0.0/16'] }]);
  });

  it('no tunnels: no routes, every root its own island', () => {
    expect(planRoutes(topology([4, 2], []))).toEqual({ tunnels: [], islands: [[2], [4]] });
  });

  it("a tunnel's selectors cover exactly the pairs whose path crosses it, each way", () => {
    fc.assert(
      fc.property(validTopology, (t) => {
        const routes = planRoutes(t);
        const ends = t.tunnels.map(({ a, b }) => (a < b ? [a, b] : [b, a])).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
        expect(routes.tunnels.map((r) => [r.a, r.b])).toEqual(ends);
        for (const r of routes.tunnels) {
          const forward = crossingPairs(t, r.a, r.b);
          expect(coveredPairs(t, r), r.name).toEqual(forward);
          // The way back is the same pairs reversed: one selector serves both directions.
          expect(crossingPairs(t, r.b, r.a)).toEqual(forward.map((p) => p.split('>').reverse().join('>')).sort());
          expect(forward).toContain(`${r.a}>${r.b}`);
          const side = (k: 0 | 1) => [...new Set(forward.map((p) => Number(p.split('>')[k])))].sort((m, n) => m - n);
          expect(rootsIn(t, r.aToB).sort((m, n) => m - n)).toEqual(side(1));
          expect(rootsIn(t, r.bToA).sort((m, n) => m - n)).toEqual(side(0));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is deterministic: the order of roots and tunnels, and of a tunnel’s ends, changes nothing', () => {
    fc.assert(
      fc.property(validTopology, fc.infiniteStream(fc.boolean()), (t, flips) => {
        const flip = flips[Symbol.iterator]();
        const shuffled = { roots: [...t.roots].reverse(), tunnels: [...t.tunnels].reverse().map(({ a, b }) => (flip.next().value ? { a: b, b: a } : { a, b })) };
        expect(JSON.stringify(planRoutes(shuffled))).toBe(JSON.stringify(planRoutes(t)));
      }),
    );
  });

  // Whatever the tie-break, a new tunnel that ties a pair's path may win the tie (some other numbering would make it so), so the
  // most that holds is: a pair's path changes only if the new tunnel lies on one of its fewest-tunnel paths (it got shorter, or
  // tied through the new tunnel), and only tunnels on those pairs' old or new paths carry anything different.
  it('adding a tunnel changes only the tunnels on paths that the new tunnel shortens or ties', () => {
    fc.assert(
      fc.property(validTopology, fc.nat(), fc.nat(), (t, i, j) => {
        fc.pre(t.roots.length >= 2);
        const [x, y] = [t.roots[i % t.roots.length]!.id, t.roots[j % t.roots.length]!.id];
        fc.pre(x !== y && !t.tunnels.some(({ a, b }) => (a === x && b === y) || (a === y && b === x)));
        const grown: Topology = { roots: t.roots, tunnels: [...t.tunnels, { a: x, b: y }] };
        const graph = (top: Topology) =>
          rootGraph(
            top.roots.map((r) => r.id),
            top.tunnels,
          );
        const [before, after] = [graph(t), graph(grown)];
        const hops = (path: number[] | undefined) => (path ? path.slice(1).map((v, k) => (path[k]! < v ? `${path[k]}-${v}` : `${v}-${path[k]}`)) : []);
        const length = (p: number, q: number) => transitPath(after, p, q)!.length - 1;
        const mayChange = new Set([x < y ? `${x}-${y}` : `${y}-${x}`]);
        for (const p of t.roots) {
          for (const q of t.roots) {
            const [old, now] = [transitPath(before, p.id, q.id), transitPath(after, p.id, q.id)];
            if (JSON.stringify(old) === JSON.stringify(now)) continue;
            const throughNew =
              now !== undefined &&
              (length(p.id, x) + 1 + length(y, q.id) === now.length - 1 || length(p.id, y) + 1 + length(x, q.id) === now.length - 1);
            expect(throughNew, `${p.id} → ${q.id}`).toBe(true);
            for (const hop of [...hops(old), ...hops(now)]) mayChange.add(hop);
          }
        }
        const routes = (plan: RoutePlan) => new Map(plan.tunnels.map((r) => [`${r.a}-${r.b}`, JSON.stringify(r)]));
        const [was, is] = [routes(planRoutes(t)), routes(planRoutes(grown))];
        for (const [hop, text] of is) if (!mayChange.has(hop)) expect(text, hop).toBe(was.get(hop));
      }),
      { numRuns: 80 },
    );
  });
});
