// Which neighbours each flooded message goes to: the overlay's hierarchy keeps leaves out of the roots' chatter.
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';

// Leaves act on deploys only; heartbeats of roots and the administrator lock concern roots.
const FOR_LEAVES: ReadonlySet<FloodMessage['type']> = new Set(['deploy', 'confirm_deploy']);

/**
 * A leaf's heartbeat goes to its own root and no further (the root floods a summary of its leaves instead);
 * deploy and confirm_deploy reach every node; everything else reaches every root and no leaf.
 */
export function overlayShouldSend(message: FloodMessage, to: string): boolean {
  const origin = parseNodeName(message.origin);
  if (message.type === 'heartbeat' && origin?.role === 'leaf') return to === rootNodeName(origin.rootId);
  return FOR_LEAVES.has(message.type) || parseNodeName(to)?.role !== 'leaf';
}

/**
 * Whether the origin's role may originate the message at all: a leaf reports its own heartbeat and nothing else (it
 * neither takes part in the administrator lock nor announces deploys). Anything else from a leaf is refused at the
 * first node, so a compromised leaf cannot make the overlay carry, handle or log its messages.
 */
export function mayOriginate(message: FloodMessage): boolean {
  return parseNodeName(message.origin)?.role === 'root' || message.type === 'heartbeat';
}
