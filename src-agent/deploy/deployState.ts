// What the deploy engine keeps on disk: the newest package seen, the configuration in effect, and an unconfirmed deploy with its way back.
import { z } from 'zod';
import { DigestSchema, TopologyIdSchema } from '../../src-shared/protocol/deployPackage.ts';
import { DeployStatusSchema } from '../../src-shared/protocol/agentApi.ts';
import { PartDigestSchema } from './partDigest.ts';
import { SealedBackupSchema } from './sealedBackup.ts';

/**
 * The state file's version; an agent takes a file of another version for corrupt (kept aside, reported). History:
 * - 1: the way back in clear.
 * - 2 (2026-12-07): the way back sealed to the node's own key; the configuration in effect by topology id and digest.
 *   Later the same day also (optional, so files from before read as they are) the digest of the node's part in effect, and
 *   no way back for a deploy that changed nothing here.
 */
export const DEPLOY_STATE_VERSION = 2;

/** A package by what names it: its topology id and its digest. */
const PackageRefSchema = z.strictObject({ topologyId: TopologyIdSchema, digest: DigestSchema });
export type PackageRef = z.infer<typeof PackageRefSchema>;

/**
 * A package whose configuration is in effect here (or was, for the one to go back to). `partDigest` (partDigest.ts): of
 * this node's part as it was put in effect; absent when what is on disk may not be that part in effect any more (a
 * restore or a restart that failed), so that the next package is applied whatever it carries.
 */
export const RunningPackageSchema = PackageRefSchema.extend({ partDigest: PartDigestSchema.optional() });
export type RunningPackage = z.infer<typeof RunningPackageSchema>;

export const TrialSchema = z.strictObject({
  topologyId: TopologyIdSchema,
  /**
   * `applying` is on disk only while the backend works (a restart finds it there if the agent stopped mid-apply);
   * `rolling-back` after a rollback failed, to be tried again. Both roll back at the next start.
   */
  phase: z.enum(['applying', 'awaiting-confirm', 'rolling-back']),
  deadlineAt: z.number(),
  /**
   * The last confirmed configuration: where a failure or a missed deadline goes back to. Sealed: it holds that
   * configuration's keys. Absent when the deploy changed nothing here: the configuration in effect is that one.
   */
  revertTo: SealedBackupSchema.optional(),
  /** The package of that configuration, when it was one of Raincoat's. */
  revertToPackage: RunningPackageSchema.optional(),
  /** Why the rollback is needed (rolling-back only). */
  reason: z.string().optional(),
});
export type Trial = z.infer<typeof TrialSchema>;

/** A package as the acceptance rules compare others with it: its id, its digest and when it was made. */
const HeldPackageSchema = PackageRefSchema.extend({ createdAt: z.string() });
export type HeldPackage = z.infer<typeof HeldPackageSchema>;

export const DeployStateSchema = z.strictObject({
  version: z.literal(DEPLOY_STATE_VERSION),
  /** The newest package taken into account: a second delivery of it changes nothing (unless it failed here), an older one is refused. */
  latest: HeldPackageSchema.optional(),
  /** The package whose configuration is in effect. */
  running: RunningPackageSchema.optional(),
  confirmed: TopologyIdSchema.optional(),
  trial: TrialSchema.optional(),
  /** Confirmations that overtook their package in the flood, applied as soon as the package is. */
  earlyConfirms: z.array(TopologyIdSchema).max(8),
  status: DeployStatusSchema,
});
export type DeployState = z.infer<typeof DeployStateSchema>;
