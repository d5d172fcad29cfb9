// Topologies the graph's tests draw, unit and browser tests alike: a root by number, and 40 roots without positions.
import type { Root, Topology } from '../../src-shared/topology/schemas.ts';

/** Root `id` named cloud-<id>, with overlay 10.<id>.0.0/16, at `position` when one is given. */
export const sampleRoot = (id: number, position?: { x: number; y: number }): Root => ({
  id,
  name: `cloud-${id}`,
  internetAddress: `198.51.100.${id}`,
  overlay: `10.${id}.0.0/16`,
  maxClients: 100,
  ...(position && { position }),
});

/** 40 roots with none placed, as a file `raincoat validate` reads: a ring, and a chord from every fifth root across it. */
export function fortyUnplacedRoots(): Topology {
  const roots = Array.from({ length: 40 }, (_, i) => sampleRoot(i + 1));
  const ring = roots.map((r, i) => ({ a: r.id, b: roots[(i + 1) % 40]!.id }));
  const chords = roots.filter((r) => r.id % 5 === 0).map((r) => ({ a: r.id, b: ((r.id + 17) % 40) + 1 }));
  return { roots, tunnels: [...ring, ...chords] };
}
