// Random overlays shaped like real ones (roots in a random connected graph, leaves under roots) for tests and benchmarks.
import { leafNodeName, rootNodeName } from '../../src-shared/plan/nodeNames.ts';

export interface Overlay {
  roots: string[];
  nodes: string[];
  /** Symmetric adjacency: a root's tunnel peers and leaves, a leaf's root. */
  neighbours: Map<string, string[]>;
  /** Undirected links (tunnels plus leaf uplinks). */
  links: number;
}

export interface OverlayShape {
  roots: number;
  /** Leaves under every root. */
  leavesPerRoot: number;
  /** Tunnels beyond the spanning tree that keeps the roots connected (fewer when the graph is complete). */
  extraTunnels: number;
  /** Uniform in [0, 1). */
  random: () => number;
}

/** Mulberry32: a small seeded generator, so a benchmark's overlay is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Roots 1..n joined by a random tree (each root tunnels to a random earlier one) plus random extra tunnels. */
export function randomOverlay(shape: OverlayShape): Overlay {
  const { roots: rootCount, leavesPerRoot, extraTunnels, random } = shape;
  if (rootCount < 1) throw new RangeError('an overlay needs a root');
  const pick = (n: number) => Math.floor(random() * n);
  const roots = Array.from({ length: rootCount }, (_, i) => rootNodeName(i + 1));
  const neighbours = new Map<string, string[]>(roots.map((r) => [r, []]));
  const tunnels = new Set<string>();
  let links = 0;
  const link = (a: string, b: string) => {
    neighbours.get(a)!.push(b);
    neighbours.get(b)!.push(a);
    links++;
  };
  const tunnel = (i: number, j: number) => {
    const key = i < j ? `${i}:${j}` : `${j}:${i}`;
    if (i === j || tunnels.has(key)) return false;
    tunnels.add(key);
    link(roots[i]!, roots[j]!);
    return true;
  };
  for (let i = 1; i < rootCount; i++) tunnel(i, pick(i));
  const possible = (rootCount * (rootCount - 1)) / 2;
  for (let added = 0; added < extraTunnels && tunnels.size < possible; ) if (tunnel(pick(rootCount), pick(rootCount))) added++;
  const nodes = [...roots];
  for (let r = 1; r <= rootCount; r++) {
    for (let n = 1; n <= leavesPerRoot; n++) {
      const leaf = leafNodeName(r, n);
      nodes.push(leaf);
      neighbours.set(leaf, []);
      link(rootNodeName(r), leaf);
    }
  }
  return { roots, nodes, neighbours, links };
}
