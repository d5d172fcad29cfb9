// The sandbox's agents, by name: one per root and per leaf of its topology, as the address plan names and orders them
// (by root id), each root followed by its leaves. The command that enrolls them and the host that runs them agree on this list.
import { planAddresses } from '../plan/planAddresses.ts';
import type { Topology } from '../topology/schemas.ts';

export function sandboxNodeNames(topology: Topology): string[] {
  return planAddresses(topology).roots.flatMap((root) => [root.nodeName, ...root.leaves.map((leaf) => leaf.nodeName)]);
}
