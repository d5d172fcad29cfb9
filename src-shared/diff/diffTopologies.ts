// The difference between two valid topologies (deployed against pending): what a deploy would add, change and remove.
import type { Root, Topology } from '../topology/schemas.ts';
import { isNatted } from '../topology/schemas.ts';
import type { LeafPlan, TunnelPlan } from '../plan/planAddresses.ts';
import { planAddresses } from '../plan/planAddresses.ts';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface RootChange {
  id: number;
  name: string;
  changes: FieldChange[];
}

export interface LeafChange {
  nodeName: string;
  changes: FieldChange[];
}

export interface TopologyDiff {
  roots: { added: Root[]; removed: Root[]; changed: RootChange[] };
  tunnels: { added: TunnelPlan[]; removed: TunnelPlan[] };
  leaves: { added: LeafPlan[]; removed: LeafPlan[]; changed: LeafChange[] };
  /** True when a deploy would change nothing on any node. */
  empty: boolean;
}

/**
 * Fields a deploy acts on. A root's canvas `position` is left out on purpose: moving a box on the
 * drawing changes no router.
 */
const DEPLOYED_ROOT_FIELDS = ['name', 'internetAddress', 'overlay', 'maxClients', 'provider', 'natted'] as const;
const LEAF_FIELDS = ['clientSubnet', 'clientServerAddress', 'uplinkAddress', 'maxClients'] as const;

function rootFacts(root: Root): Record<(typeof DEPLOYED_ROOT_FIELDS)[number], unknown> {
  return {
    name: root.name,
    internetAddress: root.internetAddress,
    overlay: root.overlay,
    maxClients: root.maxClients,
    provider: root.cloud?.provider ?? 'existing',
    natted: isNatted(root),
  };
}

function changesOf<T extends Record<string, unknown>>(from: T, to: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  return fields.filter((f) => from[f] !== to[f]).map((field) => ({ field, from: from[field], to: to[field] }));
}

/** Both topologies must be valid. Output is sorted (roots by id, tunnels by ends, leaves by root then index). */
export function diffTopologies(before: Topology, after: Topology): TopologyDiff {
  const beforeRoots = new Map(before.roots.map((r) => [r.id, r]));
  const afterRoots = new Map(after.roots.map((r) => [r.id, r]));
  const byId = (x: Root, y: Root) => x.id - y.id;
  const roots = {
    added: after.roots.filter((r) => !beforeRoots.has(r.id)).sort(byId),
    removed: before.roots.filter((r) => !afterRoots.has(r.id)).sort(byId),
    changed: after.roots
      .filter((r) => beforeRoots.has(r.id))
      .sort(byId)
      .map((r) => ({ id: r.id, name: r.name, changes: changesOf(rootFacts(beforeRoots.get(r.id)!), rootFacts(r), DEPLOYED_ROOT_FIELDS) }))
      .filter((c) => c.changes.length > 0),
  };

  const beforePlan = planAddresses(before);
  const afterPlan = planAddresses(after);
  const beforeTunnels = new Set(beforePlan.tunnels.map((t) => t.name));
  const afterTunnels = new Set(afterPlan.tunnels.map((t) => t.name));
  const tunnels = {
    added: afterPlan.tunnels.filter((t) => !beforeTunnels.has(t.name)),
    removed: beforePlan.tunnels.filter((t) => !afterTunnels.has(t.name)),
  };

  const beforeLeaves = new Map(beforePlan.roots.flatMap((r) => r.leaves).map((l) => [l.nodeName, l]));
  const afterLeaves = afterPlan.roots.flatMap((r) => r.leaves);
  const afterLeafNames = new Set(afterLeaves.map((l) => l.nodeName));
  const leaves = {
    added: afterLeaves.filter((l) => !beforeLeaves.has(l.nodeName)),
    removed: [...beforeLeaves.values()].filter((l) => !afterLeafNames.has(l.nodeName)),
    changed: afterLeaves
      .filter((l) => beforeLeaves.has(l.nodeName))
      .map((l) => ({ nodeName: l.nodeName, changes: changesOf({ ...beforeLeaves.get(l.nodeName)! }, { ...l }, LEAF_FIELDS) }))
      .filter((c) => c.changes.length > 0),
  };

  const empty =
    roots.added.length + roots.removed.length + roots.changed.length + tunnels.added.length + tunnels.removed.length +
      leaves.added.length + leaves.removed.length + leaves.changed.length === 0;
  return { roots, tunnels, leaves, empty };
}
