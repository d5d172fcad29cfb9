// What the application last deployed to an overlay, kept in its state folder: the topology and every node's rendered
// files as each node runs them (secrets replaced by `[secret]`, with each file's digest), so the next plan diffs against them.
import { z } from 'zod';
import { jsonStateFile } from '../../../src-node/jsonStateFile.ts';
import type { JsonFileRead } from '../../../src-node/jsonStateFile.ts';
import { NodeNameSchema } from '../../../src-shared/plan/nodeNames.ts';
import { DeployBackendSchema, TopologyIdSchema } from '../../../src-shared/protocol/deployPackage.ts';
import { RootSchema, TunnelSchema } from '../../../src-shared/topology/schemas.ts';

const NodeFileSchema = z.strictObject({
  /** SHA-256 of the file as rendered, secrets included: a changed secret changes it though `text` stays the same. */
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits'),
  mode: z.union([z.literal(0o600), z.literal(0o644)]),
  /** The file with every secret replaced by `[secret]`. */
  text: z.string(),
});
export type NodeFile = z.infer<typeof NodeFileSchema>;

const DeployedNodeSchema = z.strictObject({
  backend: DeployBackendSchema,
  /** By path in the node's folder, as `raincoat render` lays it out. */
  files: z.record(z.string(), NodeFileSchema),
  /** The identity certificate a deploy re-issued to the node, once it ran that deploy: the next ones renew from it. */
  identityCertificate: z.string().optional(),
});
export type DeployedNode = z.infer<typeof DeployedNodeSchema>;

/**
 * Format history:
 * - 1 (2026-12-07): first version.
 */
export const DEPLOYED_RECORD_VERSION = 1;

export const DeployedRecordSchema = z.strictObject({
  version: z.literal(DEPLOYED_RECORD_VERSION),
  topologyId: TopologyIdSchema,
  deployedAt: z.iso.datetime(),
  topology: z.strictObject({ roots: z.array(RootSchema), tunnels: z.array(TunnelSchema) }),
  /** What each node runs: a node whose apply failed keeps what it ran before (or is absent when it ran nothing of ours). */
  nodes: z.record(NodeNameSchema, DeployedNodeSchema),
});
export type DeployedRecord = z.infer<typeof DeployedRecordSchema>;

export const DEPLOYED_FILE = 'deployed.json';

/** Reads the record (a corrupt one is kept aside and reported) and writes it atomically. */
export function deployedRecordFile(path: string, now: () => number): { load(): Promise<JsonFileRead<DeployedRecord>>; save(record: DeployedRecord): Promise<void> } {
  return jsonStateFile(path, DeployedRecordSchema, now);
}
