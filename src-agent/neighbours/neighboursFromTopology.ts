// Who a node's flood neighbours are in a deployed topology, and where they are reached; the configuration's addresses win.
//
// Neighbours (issue 4 §2): a root's tunnel peers and its leaves; a leaf's root. Addresses, all on the package's agent port:
// a root peer at its internet address (the only one reachable before the tunnels are up), a leaf at its pinned uplink
// address, a leaf's root at its uplink server address (both across the leaf's OpenVPN uplink).
import { parseNodeName, rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { DeployOverlay } from '../../src-shared/protocol/deployPackage.ts';
import type { PeerTarget } from '../wire/peerClient.ts';

/**
 * The address plan of each overlay topology met lately: a package's overlay is never changed once parsed, and the agents
 * of one host (the sandbox's hundreds) take the very same one from a deploy's announcement, each planning it otherwise.
 */
const plans = new WeakMap<DeployOverlay['topology'], ReturnType<typeof planAddresses>>();

function planOf(topology: DeployOverlay['topology']): ReturnType<typeof planAddresses> {
  let plan = plans.get(topology);
  if (plan === undefined) plans.set(topology, (plan = planAddresses(topology)));
  return plan;
}

/** Undefined when `self` is not a node of the topology: it then says nothing about this node's neighbours. */
export function neighboursFromTopology(self: string, overlay: DeployOverlay): PeerTarget[] | undefined {
  const name = parseNodeName(self);
  if (name === undefined) return undefined;
  const plan = planOf(overlay.topology);
  const own = plan.roots.find((r) => r.rootId === name.rootId);
  if (own === undefined) return undefined;
  const at = (node: string, address: string): PeerTarget => ({ node, url: `https://${address}:${overlay.agentPort}` });

  if (name.role === 'leaf') {
    return own.leaves.some((l) => l.index === name.index) ? [at(own.nodeName, own.uplinkServerAddress)] : undefined;
  }
  const peerIds = new Set(plan.tunnels.flatMap((t) => (t.a === own.rootId ? [t.b] : t.b === own.rootId ? [t.a] : [])));
  const peers = plan.roots.filter((r) => peerIds.has(r.rootId)).map((r) => at(rootNodeName(r.rootId), r.internetAddress));
  return [...peers, ...own.leaves.map((l) => at(l.nodeName, l.uplinkAddress))];
}

/**
 * The neighbours in effect: without a topology (nothing deployed, or a package that carries none), the configured ones;
 * with one, the topology's, each at its configured address where the configuration lists it (bootstrap wrote those, and
 * they may be NAT-forwarded addresses the topology cannot know), else at the address the configuration's address book
 * gives (`addresses`: nodes that are no neighbours yet, reached elsewhere than the topology says, as in the sandbox).
 */
export function neighboursInEffect(configured: readonly PeerTarget[], fromTopology: readonly PeerTarget[] | undefined, addresses: readonly PeerTarget[] = []): PeerTarget[] {
  if (fromTopology === undefined) return configured.map(({ node, url }) => ({ node, url }));
  const configuredUrl = new Map([...addresses, ...configured].map((n) => [n.node, n.url]));
  return fromTopology.map(({ node, url }) => ({ node, url: configuredUrl.get(node) ?? url }));
}
