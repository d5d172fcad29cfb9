// Which roots the drawn tunnels join, and each pair's path through them: fewest tunnels, ties broken by the lowest root ids.
//
// The path of two roots x < y is, among the paths with the fewest tunnels, the one whose sequence of root ids read from x
// to y is lexicographically smallest (first the lowest-id second root, then the lowest-id third, …); the path from y to x
// is the same path reversed, so that a pair's traffic crosses the same tunnels both ways (IPsec selectors are symmetric).
// Found greedily: walking from x, the next root is the lowest-id neighbour one tunnel closer to y.

/** The tunnels as an undirected graph over the roots, by index in ascending root id (index order is id order). */
export interface RootGraph {
  /** Root ids, ascending. */
  ids: readonly number[];
  /** Neighbours of each root by index, ascending. */
  neighbours: readonly (readonly number[])[];
}

export interface Ends {
  a: number;
  b: number;
}

export function rootGraph(rootIds: readonly number[], tunnels: readonly Ends[]): RootGraph {
  const ids = [...new Set(rootIds)].sort((x, y) => x - y);
  const index = new Map(ids.map((id, i) => [id, i]));
  const neighbours: number[][] = ids.map(() => []);
  for (const t of tunnels) {
    const a = index.get(t.a);
    const b = index.get(t.b);
    if (a === undefined || b === undefined) throw new Error(`tunnel ${t.a}-${t.b} names a root that is not in the topology`);
    if (a === b) continue;
    neighbours[a]!.push(b);
    neighbours[b]!.push(a);
  }
  for (const list of neighbours) list.sort((x, y) => x - y);
  return { ids, neighbours: neighbours.map((list) => list.filter((v, i) => i === 0 || list[i - 1] !== v)) };
}

/** Tunnels from every root to `target` by breadth-first search; -1 where no path joins them. */
export function distancesTo(graph: RootGraph, target: number): Int32Array {
  const distance = new Int32Array(graph.ids.length).fill(-1);
  const queue = new Int32Array(graph.ids.length);
  distance[target] = 0;
  queue[0] = target;
  for (let head = 0, tail = 1; head < tail; head++) {
    const v = queue[head]!;
    for (const u of graph.neighbours[v]!) {
      if (distance[u] !== -1) continue;
      distance[u] = distance[v]! + 1;
      queue[tail++] = u;
    }
  }
  return distance;
}

/** Each root's next hop toward `target` on its path (the lowest-index neighbour one tunnel closer); -1 at the target and where none. */
function nextHopsTo(graph: RootGraph, distance: Int32Array): Int32Array {
  const next = new Int32Array(graph.ids.length).fill(-1);
  for (let v = 0; v < graph.ids.length; v++) {
    const d = distance[v]!;
    if (d <= 0) continue;
    next[v] = graph.neighbours[v]!.find((u) => distance[u] === d - 1)!;
  }
  return next;
}

/**
 * Calls `visit` once for every pair of joined roots, with the lower id first, and the indices of the roots along their path
 * from the lower to the higher (both ends included). The array is reused between calls: copy it to keep it.
 */
export function forEachPath(graph: RootGraph, visit: (path: readonly number[]) => void): void {
  const path: number[] = [];
  for (let target = 1; target < graph.ids.length; target++) {
    const next = nextHopsTo(graph, distancesTo(graph, target));
    for (let source = 0; source < target; source++) {
      if (next[source] === -1) continue;
      path.length = 0;
      for (let v = source; v !== -1; v = next[v]!) path.push(v);
      visit(path);
    }
  }
}

/** The root ids along the path from `from` to `to` (both included), or undefined when no path of tunnels joins them. */
export function transitPath(graph: RootGraph, from: number, to: number): number[] | undefined {
  const [x, y] = [graph.ids.indexOf(from), graph.ids.indexOf(to)];
  if (x === -1 || y === -1) return undefined;
  if (x === y) return [from];
  const [low, high] = x < y ? [x, y] : [y, x];
  const next = nextHopsTo(graph, distancesTo(graph, high));
  if (next[low] === -1) return undefined;
  const path: number[] = [];
  for (let v = low; v !== -1; v = next[v]!) path.push(graph.ids[v]!);
  return x < y ? path : path.reverse();
}

/** The islands of roots that tunnels join, each in ascending id, ordered by their lowest id; a root without tunnels is its own island. */
export function islands(graph: RootGraph): number[][] {
  const seen = new Uint8Array(graph.ids.length);
  const out: number[][] = [];
  for (let start = 0; start < graph.ids.length; start++) {
    if (seen[start]) continue;
    const island: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const v = stack.pop()!;
      island.push(v);
      for (const u of graph.neighbours[v]!) {
        if (seen[u]) continue;
        seen[u] = 1;
        stack.push(u);
      }
    }
    out.push(island.sort((x, y) => x - y).map((i) => graph.ids[i]!));
  }
  return out;
}
