// How a node or tunnel is named to the administrator: the plan's name with its cloud's root name from the topology
// ("aws-west (root-2)"), and a tunnel by its two roots' names.
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';

/** Root names by root id. */
export type RootNames = ReadonlyMap<number, string>;

export function rootNames(topology: Topology | undefined): RootNames {
  return new Map((topology?.roots ?? []).map((r) => [r.id, r.name]));
}

/** The name alone when its root is not in the topology (a root removed since, or a name that is not a node's). */
export function nodeLabel(node: string, names: RootNames): string {
  const parsed = parseNodeName(node);
  const rootName = parsed === undefined ? undefined : names.get(parsed.rootId);
  if (parsed === undefined || rootName === undefined) return node;
  return parsed.role === 'root' ? `${rootName} (${node})` : `${node} of ${rootName}`;
}

/** A root's name in the topology; `root <id>` when it is not there. */
export function rootName(topology: Topology, id: number): string {
  return topology.roots.find((r) => r.id === id)?.name ?? `root ${id}`;
}

/** `aws-east ↔ euca-lab`: a tunnel as the panels title it. */
export function tunnelTitle(topology: Topology, a: number, b: number): string {
  return `${rootName(topology, a)} ↔ ${rootName(topology, b)}`;
}
