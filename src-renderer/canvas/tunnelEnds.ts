// What a tunnel's drawing says of its ends' status: the agents report no tunnel's own state yet, but a tunnel whose
// root is down or has failed cannot be carrying traffic, and must not look like one that does; pure.
import type { NodeState } from '../../src-shared/protocol/messages.ts';

/** The class a tunnel's edge takes from its two roots' states (undefined while either is unknown or both are fine). */
export function tunnelEndsLook(a: NodeState | undefined, b: NodeState | undefined): 'ends-down' | 'ends-failed' | undefined {
  if (a === 'down' || b === 'down') return 'ends-down';
  if (a === 'failed' || b === 'failed') return 'ends-failed';
  return undefined;
}
