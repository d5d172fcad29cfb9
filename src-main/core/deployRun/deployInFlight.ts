// A deploy posted but not yet confirmed, kept in the overlay's state folder so that an application killed while it
// follows one picks it up again when it starts: what to follow, until when, and what to record once every node runs it.
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { jsonStateFile } from '../../../src-node/jsonStateFile.ts';
import type { StateStore } from '../../../src-node/jsonStateFile.ts';
import { NodeNameSchema } from '../../../src-shared/plan/nodeNames.ts';
import { TopologyIdSchema } from '../../../src-shared/protocol/deployPackage.ts';
import { StatusSnapshotSchema } from '../../../src-shared/protocol/messages.ts';
import { DeployedRecordSchema } from './deployedRecord.ts';

/**
 * Format history:
 * - 1 (2026-12-07): first version.
 */
export const IN_FLIGHT_VERSION = 1;

export const InFlightSchema = z.strictObject({
  version: z.literal(IN_FLIGHT_VERSION),
  topologyId: TopologyIdSchema,
  digest: z.string(),
  /**
   * On the application's clock (epoch ms): when it was posted, until when its nodes are followed, and by when the
   * nodes must hear the confirmation before they go back to what they ran before by themselves.
   */
  postedAt: z.number(),
  followUntil: z.number(),
  confirmBy: z.number(),
  nodes: z.array(NodeNameSchema),
  /** The entry root's status just before the post: what its nodes reported before they heard of this deploy. */
  baseline: StatusSnapshotSchema,
  /** The record to keep once confirmed: the topology, and each followed node's files as the deploy gives them. */
  next: DeployedRecordSchema.pick({ topology: true, nodes: true }),
});
export type InFlight = z.infer<typeof InFlightSchema>;

export const IN_FLIGHT_FILE = 'deploy-in-flight.json';

export interface InFlightFile extends StateStore<InFlight> {
  clear(): Promise<void>;
}

export function inFlightFile(path: string, now: () => number): InFlightFile {
  return { ...jsonStateFile(path, InFlightSchema, now), clear: () => rm(path, { force: true }) };
}
