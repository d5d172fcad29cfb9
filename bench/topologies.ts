// Synthetic topologies for benchmarks: N roots with distinct /16s and a connected random set of tunnels.

export interface RawTopology {
  roots: Array<{ id: number; name: string; internetAddress: string; overlay: string; maxClients: number }>;
  tunnels: Array<{ a: number; b: number }>;
}

/** A seeded linear congruential generator, so every run benchmarks the same topology. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** `roots` roots (up to 4,096) and `tunnels` tunnels: a spanning tree first (connected), then random extra pairs. */
export function syntheticTopology(roots: number, tunnels: number, maxClients = 250, seed = 42): RawTopology {
  const random = seededRandom(seed);
  const list = Array.from({ length: roots }, (_, i) => ({
    id: i + 1,
    name: `cloud-${i + 1}`,
    internetAddress: `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
    overlay: `${10 + (i >> 8)}.${i & 255}.0.0/16`,
    maxClients,
  }));
  const pairs = new Set<string>();
  const out: Array<{ a: number; b: number }> = [];
  const add = (a: number, b: number) => {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || pairs.has(key)) return;
    pairs.add(key);
    out.push({ a, b });
  };
  for (let i = 2; i <= roots && out.length < tunnels; i++) add(i, 1 + Math.floor(random() * (i - 1)));
  while (out.length < tunnels && out.length < (roots * (roots - 1)) / 2) add(1 + Math.floor(random() * roots), 1 + Math.floor(random() * roots));
  return { roots: list, tunnels: out };
}
