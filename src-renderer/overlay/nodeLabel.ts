// How a node is named to the administrator: the plan's name with its cloud's root name from the topology ("aws-west (root-2)").
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
