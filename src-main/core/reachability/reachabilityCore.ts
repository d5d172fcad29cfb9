// The contract's reachability calls, answered from the pending topology: warnings and matrix, and what a removal would cut.
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { lostWithout, reachabilityMatrix, reachabilityWarnings } from '../../../src-shared/routing/reachability.ts';
import type { CorePart } from '../endpoint/serve.ts';

export type ReachabilityCall = 'reachability.get' | 'reachability.without';

/** `pending` reads the topology being edited (the store's); reachability keeps nothing of its own and sends no event. */
export function reachabilityCore(pending: () => Topology): CorePart<ReachabilityCall> {
  return {
    handlers: {
      'reachability.get': async () => {
        const topology = pending();
        return { warnings: reachabilityWarnings(topology), matrix: reachabilityMatrix(topology) };
      },
      'reachability.without': async (removal) => lostWithout(pending(), removal),
    },
    subscribe: () => () => {},
  };
}
