// Test-only builders of topologies: a valid-root factory and fast-check arbitraries of valid topologies.
import fc from 'fast-check';
import type { Root, Topology, Tunnel } from './schemas.ts';

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

/** A valid topology broken at several independent places: each place (`comment`, `roots`, `roots[2]`, `tunnels[0]`) is broken once. */
export interface CorruptedTopology {
  input: Record<string, unknown>;
  places: string[];
  /** Roots replaced whole: the tunnels that join them rightly report that they do not exist. */
  replacedIds: number[];
}

/** Field changes that break only their own root: none touches the id, and none can clash with another root. */
const ROOT_PATCHES: ReadonlyArray<Record<string, unknown>> = [
  { name: '' },
  { name: 'a\nb' },
  { name: 5 },
  { internetAddress: '127.0.0.1' },
  { internetAddress: '224.0.0.5' },
  { internetAddress: '1.2.3' },
  { internetAddress: 7 },
  { overlay: '10.0.0.0/8' },
  { overlay: '10.1.2.0/16' },
  { overlay: 'x' },
  { maxClients: 0 },
  { maxClients: 50_401 },
  { maxClients: '3' },
  { maxClients: undefined },
  { position: { x: 1 } },
  { cloud: { provider: 'openstack' } },
  { colour: 'red' },
];
const NOT_AN_OBJECT = [7, 'x', null, [[[]]]] as const;
const NOT_AN_ARRAY = [7, 'x', null, {}] as const;

const rootCorruption = fc.oneof(
  fc.constantFrom(...ROOT_PATCHES).map((patch) => (root: Root): unknown => ({ ...root, ...patch })),
  fc.constantFrom(...NOT_AN_OBJECT).map((value) => (): unknown => value),
);
const tunnelCorruption = fc.constantFrom<Array<(t: Tunnel) => unknown>>(
  ...NOT_AN_OBJECT.map((value) => () => value),
  (t) => ({ a: t.a }),
  (t) => ({ ...t, c: 1 }),
  (t) => ({ a: 0, b: t.b }),
  (t) => ({ a: t.a, b: t.a }),
);

/** A section replaced whole, or some of its entries corrupted, each at most once; records the places broken. */
function corruptSection<T>(section: string, whole: unknown, valid: readonly T[], corruptions: ReadonlyArray<[number, (entry: T) => unknown]>, places: string[]): unknown {
  if (whole !== undefined) {
    places.push(section);
    return whole;
  }
  const list: unknown[] = [...valid];
  for (const [n, corrupt] of corruptions) {
    if (valid.length === 0) break;
    const index = n % valid.length;
    if (places.includes(`${section}[${index}]`)) continue;
    places.push(`${section}[${index}]`);
    list[index] = corrupt(valid[index]!);
  }
  return list;
}

export const corruptedTopology: fc.Arbitrary<CorruptedTopology> = fc
  .record({
    topology: validTopology,
    comment: fc.boolean(),
    roots: fc.option(fc.constantFrom(...NOT_AN_ARRAY), { nil: undefined }),
    tunnels: fc.option(fc.constantFrom(...NOT_AN_ARRAY), { nil: undefined }),
    rootCorruptions: fc.array(fc.tuple(fc.nat(), rootCorruption), { maxLength: 5 }),
    tunnelCorruptions: fc.array(fc.tuple(fc.nat(), tunnelCorruption), { maxLength: 5 }),
  })
  .map(({ topology, comment, roots, tunnels, rootCorruptions, tunnelCorruptions }): CorruptedTopology => {
    const places: string[] = [];
    const input: Record<string, unknown> = comment ? { comment: 'x' } : {};
    if (comment) places.push('comment');
    const rootList = corruptSection('roots', roots, topology.roots, rootCorruptions, places);
    input.roots = rootList;
    input.tunnels = corruptSection('tunnels', tunnels, topology.tunnels, tunnelCorruptions, places);
    const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    const replacedIds = Array.isArray(rootList) ? topology.roots.filter((_, i) => !isObject(rootList[i])).map((r) => r.id) : [];
    return { input, places, replacedIds };
  })
  .filter((c) => c.places.length > 0);
