// What `raincoat sandbox up` asks the host to run: the topology (the host runs an agent per root and per leaf of it),
// the entry root, and how often the agents beat.
import { rootNodeName } from '../../../src-shared/plan/nodeNames.ts';
import type { SandboxSpec } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';

/** The agents' default: what a real overlay beats at, so that the sandbox shows what the administrator would see. */
export const SANDBOX_HEARTBEAT_MS = 5_000;

/** The entry is the lowest root id, the one that wins administrator-login races. */
export function sandboxSpec(topology: Topology, heartbeatIntervalMs = SANDBOX_HEARTBEAT_MS): SandboxSpec {
  const lowest = Math.min(...topology.roots.map((r) => r.id));
  return { version: 1, topology, entry: rootNodeName(lowest), heartbeatIntervalMs };
}
