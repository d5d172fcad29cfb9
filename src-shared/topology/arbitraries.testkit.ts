// Test-only builders of topologies: a valid-root factory and fast-check arbitraries of valid topologies.
import fc from 'fast-check';
import type { Root, Topology } from './schemas.ts';

export function makeRoot(id: number, overrides: Partial<Root> = {}): Root {
  return {
    id,
    name: `cloud-${id}`,
    internetAddress: `203.0.${(id >> 8) & 255}.${id & 255}`,
    overlay: `10.${id % 256}.0.0/16`,
    maxClients: 250,
    ...overrides,
  };
}

/** Valid topologies: distinct ids, names, addresses and /16s; tunnels between distinct roots, each pair once. */
export const validTopology = fc
  .uniqueArray(fc.integer({ min: 0, max: 511 }), { minLength: 0, maxLength: 40 })
  .chain((slots) =>
    fc
      .record({
        ids: fc.shuffledSubarray(Array.from({ length: 200 }, (_, i) => i + 1), { minLength: slots.length, maxLength: slots.length }),
        clients: fc.array(fc.integer({ min: 1, max: 50_400 }), { minLength: slots.length, maxLength: slots.length }),
        pairs: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }),
      })
      .map(({ ids, clients, pairs }): Topology => {
        const roots = slots.map((slot, i) => ({
          id: ids[i]!,
          name: `r${ids[i]}`,
          // Overlays are 10.x.0.0/16 .. 11.x.0.0/16 by slot; internet addresses come from 198.18/15-style space outside them.
          overlay: `${10 + (slot >> 8)}.${slot & 255}.0.0/16`,
          internetAddress: `198.${18 + (i >> 8)}.${i & 255}.1`,
          maxClients: clients[i]!,
        }));
        const seen = new Set<string>();
        const tunnels = [];
        for (const [x, y] of pairs) {
          if (roots.length < 2) break;
          const a = roots[x % roots.length]!.id;
          const b = roots[y % roots.length]!.id;
          const key = a < b ? `${a}-${b}` : `${b}-${a}`;
          if (a === b || seen.has(key)) continue;
          seen.add(key);
          tunnels.push({ a, b });
        }
        return { roots, tunnels };
      }),
  );
