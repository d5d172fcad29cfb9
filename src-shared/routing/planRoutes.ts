// What each tunnel carries when traffic follows the drawn tunnels (transit through roots): its traffic selectors, from the pairs' paths.
import { tunnelName } from '../plan/nodeNames.ts';
import { formatPrefix, parsePrefix, type Prefix } from '../net/ipv4.ts';
import { aggregateParsed } from './aggregatePrefixes.ts';
import { forEachPath, islands, rootGraph } from './transitPaths.ts';

/** What routing reads of a topology: each root's id and overlay, and the tunnels. */
export interface RoutedTopology {
  roots: ReadonlyArray<{ id: number; overlay: string }>;
  tunnels: ReadonlyArray<{ a: number; b: number }>;
}

/**
 * A pair of prefix lists: traffic between any address of `aSide` and any of `bSide` crosses the tunnel (from a to b, and
 * back from b to a). Both are aggregated (aggregatePrefixes) and hold whole overlays: a root's /16 is its own prefix.
 */
export interface TrafficSelector {
  aSide: string[];
  bSide: string[];
}

export interface TunnelRoutes {
  /** The lower root id first, as in the address plan. */
  a: number;
  b: number;
  name: string;
  /**
   * Together, their cross products are exactly the pairs of overlays whose path crosses this tunnel: one IPsec child SA
   * each (VyOS `tunnel N`). Never empty, since the tunnel's own two roots are joined by it. Sorted by their first prefixes.
   */
  selectors: TrafficSelector[];
  /** The overlays a sends into this tunnel toward b (the union of the `bSide`s), and b toward a. */
  aToB: string[];
  bToA: string[];
}

export interface RoutePlan {
  /** In ascending (a, b), as the address plan's tunnels. */
  tunnels: TunnelRoutes[];
  /** The islands of roots tunnels join (transitPaths' `islands`): a root reaches exactly the roots of its island. */
  islands: number[][];
}

/** Groups keys by the equal lists they map to: each group is one rectangle of the pairs, [keys, values], both ascending. */
function rectangles(map: Map<number, number[]>): Array<[number[], number[]]> {
  const groups = new Map<string, [number[], number[]]>();
  for (const [key, values] of map) {
    values.sort((x, y) => x - y);
    const text = values.join(',');
    const group = groups.get(text);
    if (group) group[0].push(key);
    else groups.set(text, [[key], values]);
  }
  return [...groups.values()].map(([keys, values]) => [keys.sort((x, y) => x - y), values]);
}

/** side index → the other side's indices, from pairs laid flat ([a, b, a, b, …]; `at` 0 keys by a, 1 by b). */
function sideMap(pairs: readonly number[], at: 0 | 1): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (let i = 0; i < pairs.length; i += 2) {
    const [key, value] = [pairs[i + at]!, pairs[i + 1 - at]!];
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return map;
}

/**
 * The routes of a topology whose tunnels name its roots. Each pair of joined roots takes its path (transitPaths); a tunnel
 * carries the pairs whose path crosses it, cut into rectangles (sides whose every pair crosses it) as few as grouping by
 * either side gives, by the a side when both give as many. Deterministic: equal topologies give equal plans.
 */
export function planRoutes(topology: RoutedTopology): RoutePlan {
  const graph = rootGraph(
    topology.roots.map((r) => r.id),
    topology.tunnels,
  );
  const n = graph.ids.length;
  const overlayOf = new Map(topology.roots.map((r) => [r.id, r.overlay]));
  const overlays = graph.ids.map((id) => {
    const prefix = parsePrefix(overlayOf.get(id)!);
    if (!prefix) throw new Error(`root ${id}: ${overlayOf.get(id)} is not an IPv4 prefix`);
    return prefix;
  });
  // One slot per tunnel, by its ends' indices (index order is id order, so a is the lower); pairs laid flat, a side first.
  const slotOf = new Map<number, number>();
  const ends: Array<[number, number]> = [];
  for (const t of topology.tunnels) {
    const [x, y] = [graph.ids.indexOf(t.a), graph.ids.indexOf(t.b)];
    const [a, b] = x < y ? [x, y] : [y, x];
    if (a === b || slotOf.has(a * n + b)) continue;
    slotOf.set(a * n + b, ends.length);
    ends.push([a, b]);
  }
  const pairs: number[][] = ends.map(() => []);
  forEachPath(graph, (path) => {
    const [low, high] = [path[0]!, path[path.length - 1]!];
    for (let i = 1; i < path.length; i++) {
      const [u, v] = [path[i - 1]!, path[i]!];
      const slot = pairs[slotOf.get(u < v ? u * n + v : v * n + u)!]!;
      if (u < v) slot.push(low, high);
      else slot.push(high, low);
    }
  });

  const formatted = new Map<number, string>();
  const text = (p: Prefix) => {
    const key = p.base * 64 + p.length;
    let s = formatted.get(key);
    if (s === undefined) formatted.set(key, (s = formatPrefix(p)));
    return s;
  };
  const prefixes = (indices: readonly number[]) => aggregateParsed(indices.map((i) => overlays[i]!)).map(text);
  const tunnels = ends.map(([ia, ib], slot): TunnelRoutes => {
    const byA = sideMap(pairs[slot]!, 0);
    const byB = sideMap(pairs[slot]!, 1);
    const fromA = rectangles(byA);
    const fromB = rectangles(byB).map(([bSide, aSide]): [number[], number[]] => [aSide, bSide]);
    const chosen = fromB.length < fromA.length ? fromB : fromA;
    const [a, b] = [graph.ids[ia]!, graph.ids[ib]!];
    return {
      a,
      b,
      name: tunnelName(a, b),
      selectors: chosen
        .sort(([a1, b1], [a2, b2]) => a1[0]! - a2[0]! || b1[0]! - b2[0]!)
        .map(([aSide, bSide]) => ({ aSide: prefixes(aSide), bSide: prefixes(bSide) })),
      aToB: prefixes([...byB.keys()]),
      bToA: prefixes([...byA.keys()]),
    };
  });
  tunnels.sort((x, y) => x.a - y.a || x.b - y.b);
  return { tunnels, islands: islands(graph) };
}
