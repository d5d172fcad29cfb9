// Which clouds reach each other through the drawn tunnels, said before deploy: warnings, a matrix, and "what if this went away".
import { z } from 'zod';
import { count } from '../text/count.ts';
import { RootIdSchema } from '../topology/schemas.ts';
import { tunnelName } from '../plan/nodeNames.ts';
import { distancesTo, islands, rootGraph, type RootGraph } from './transitPaths.ts';

/** What reachability reads of a topology: each root's id and name, and the tunnels. */
export interface NamedTopology {
  roots: ReadonlyArray<{ id: number; name: string }>;
  tunnels: ReadonlyArray<{ a: number; b: number }>;
}

/** Two groups of roots (root ids, ascending) that no path of tunnels joins, and the sentence that says so. */
export const SeparationSchema = z.object({ from: z.array(z.number()), to: z.array(z.number()), message: z.string() });
export type Separation = z.infer<typeof SeparationSchema>;

function graphOf(topology: NamedTopology): RootGraph {
  return rootGraph(
    topology.roots.map((r) => r.id),
    topology.tunnels,
  );
}

/** A group of roots by its lowest-id root's name: "aws-east", or "aws-east and the 2 roots joined to it". */
function groupName(topology: NamedTopology, ids: readonly number[]): string {
  const first = topology.roots.find((r) => r.id === ids[0])!.name;
  return ids.length === 1 ? first : `${first} and the ${count(ids.length - 1, 'root')} joined to it`;
}

/** Every pair of groups, the earlier first (groups come ordered by their lowest id). */
function pairsOf(groups: readonly number[][], say: (from: string, to: string) => string, topology: NamedTopology): Separation[] {
  const out: Separation[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      out.push({ from: groups[i]!, to: groups[j]!, message: say(groupName(topology, groups[i]!), groupName(topology, groups[j]!)) });
    }
  }
  return out;
}

/**
 * One warning per pair of islands (roots joined by tunnels): a drawing in progress may have islands, so this is not an
 * error, but their clients cannot reach each other. Per island rather than per root, so 50 unjoined roots make one
 * line per pair of them and a large joined island one line, not one per root in it.
 */
export function reachabilityWarnings(topology: NamedTopology): Separation[] {
  return pairsOf(islands(graphOf(topology)), (from, to) => `${from} cannot reach ${to}: no path of tunnels`, topology);
}

/**
 * Tunnels on the path of every ordered pair of roots (transitPaths' paths have the fewest), null where none joins them:
 * `rootIds` ascending are the rows and the columns, `tunnels[i][j]` from rootIds[i] to rootIds[j], 0 on the diagonal.
 */
export const ReachabilityMatrixSchema = z.object({ rootIds: z.array(z.number()), tunnels: z.array(z.array(z.number().nullable())) });
export type ReachabilityMatrix = z.infer<typeof ReachabilityMatrixSchema>;

export function reachabilityMatrix(topology: NamedTopology): ReachabilityMatrix {
  const graph = graphOf(topology);
  // Tunnels are undirected, so the distances to a root are those from it.
  const tunnels = graph.ids.map((_, from) => Array.from(distancesTo(graph, from), (d) => (d === -1 ? null : d)));
  return { rootIds: [...graph.ids], tunnels };
}

/** A tunnel (its two ends, either order) or a root taken away, for "what if". */
export const RemovalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tunnel'), a: RootIdSchema, b: RootIdSchema }),
  z.object({ kind: z.literal('root'), id: RootIdSchema }),
]);
export type Removal = z.infer<typeof RemovalSchema>;

/** Reads `tunnel:1-2` (either order) or `root:3`; undefined when the text is neither. */
export function parseRemoval(text: string): Removal | undefined {
  const tunnel = /^tunnel:([1-9]\d{0,9})-([1-9]\d{0,9})$/.exec(text);
  if (tunnel) return { kind: 'tunnel', a: Number(tunnel[1]), b: Number(tunnel[2]) };
  const root = /^root:([1-9]\d{0,9})$/.exec(text);
  return root ? { kind: 'root', id: Number(root[1]) } : undefined;
}

/** `tunnel-1-2` or `root-3 (aws-east)`, as the answers name what was taken away. */
export function describeRemoval(topology: NamedTopology, removal: Removal): string {
  if (removal.kind === 'tunnel') return tunnelName(removal.a, removal.b);
  const root = topology.roots.find((r) => r.id === removal.id);
  return `root-${removal.id}${root ? ` (${root.name})` : ''}`;
}

/** The roots that would lose each other, or why the question has no answer (no such tunnel or root). */
export const WhatIfSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), lost: z.array(SeparationSchema) }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export type WhatIf = z.infer<typeof WhatIfSchema>;

/**
 * Which roots would lose each other without a tunnel or a root: each island split in parts, every pair of parts (a root
 * taken away is not listed itself: it loses everything). Refused when the topology has no such tunnel or root.
 */
export function lostWithout(topology: NamedTopology, removal: Removal): WhatIf {
  const same = (t: { a: number; b: number }) =>
    removal.kind === 'tunnel' && ((t.a === removal.a && t.b === removal.b) || (t.a === removal.b && t.b === removal.a));
  if (removal.kind === 'tunnel' && !topology.tunnels.some(same)) return { ok: false, reason: `there is no ${describeRemoval(topology, removal)}` };
  if (removal.kind === 'root' && !topology.roots.some((r) => r.id === removal.id)) return { ok: false, reason: `there is no root ${removal.id}` };
  const gone = (id: number) => removal.kind === 'root' && removal.id === id;
  const after: NamedTopology = {
    roots: topology.roots.filter((r) => !gone(r.id)),
    tunnels: topology.tunnels.filter((t) => !same(t) && !gone(t.a) && !gone(t.b)),
  };
  const islandOf = new Map(islands(graphOf(topology)).flatMap((island, i) => island.map((id) => [id, i] as const)));
  const parts = islands(graphOf(after));
  const lost = pairsOf(parts, (from, to) => `${from} and ${to} would lose each other`, after).filter(
    (pair) => islandOf.get(pair.from[0]!) === islandOf.get(pair.to[0]!),
  );
  return { ok: true, lost };
}
