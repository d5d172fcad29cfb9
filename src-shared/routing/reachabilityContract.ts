// The contract's reachability calls: what the editor shows before deploy about which clouds the drawn tunnels join.
import { z } from 'zod';
import { ReachabilityMatrixSchema, RemovalSchema, SeparationSchema, WhatIfSchema } from './reachability.ts';

export const reachabilityCalls = {
  /**
   * For the pending topology: a warning per pair of islands no path of tunnels joins (not an error: a drawing in
   * progress may have islands), and the tunnels on each pair's path. Asked again after `topology.didChange`.
   */
  'reachability.get': { input: z.void(), output: z.object({ warnings: z.array(SeparationSchema), matrix: ReachabilityMatrixSchema }) },
  /** What if: which roots of the pending topology would lose each other without this tunnel or root (refused when there is none). */
  'reachability.without': { input: RemovalSchema, output: WhatIfSchema },
} as const;
