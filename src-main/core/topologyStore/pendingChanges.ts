// What the pending topology changes against the deployed one, by id, derived from the two so it is never out of step.
import type { PendingChanges } from '../../../src-shared/contract/contract.ts';
import { diffTopologies } from '../../../src-shared/diff/diffTopologies.ts';
import type { TunnelPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { Root, Topology } from '../../../src-shared/topology/schemas.ts';
import { EMPTY_TOPOLOGY } from './storedState.ts';

const ends = ({ a, b }: TunnelPlan) => ({ a, b });
const samePlace = (x: Root, y: Root) => x.position?.x === y.position?.x && x.position?.y === y.position?.y;

/**
 * Until something is deployed, the pending topology is measured against an empty overlay: all of it is added.
 * `diff` is theirs when the caller has it already (it plans both topologies, the dearest part).
 */
export function pendingChanges(deployed: Topology | null, pending: Topology, diff = diffTopologies(deployed ?? EMPTY_TOPOLOGY, pending)): PendingChanges {
  const changed = diff.roots.changed.map((c) => c.id);
  const changedIds = new Set(changed);
  const before = new Map((deployed ?? EMPTY_TOPOLOGY).roots.map((r) => [r.id, r]));
  const moved = pending.roots
    .filter((r) => {
      const was = before.get(r.id);
      return was !== undefined && !samePlace(was, r) && !changedIds.has(r.id);
    })
    .map((r) => r.id)
    .sort((x, y) => x - y);
  const roots = { added: diff.roots.added.map((r) => r.id), changed, moved, deleted: diff.roots.removed };
  const tunnels = { added: diff.tunnels.added.map(ends), deleted: diff.tunnels.removed.map(ends) };
  const count = [roots.added, roots.changed, roots.moved, roots.deleted, tunnels.added, tunnels.deleted].reduce((n, list) => n + list.length, 0);
  return { deployed: deployed !== null, roots, tunnels, count };
}
