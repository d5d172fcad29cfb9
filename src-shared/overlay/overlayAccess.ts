// How the application and the command line reach an overlay: its entry root, the control CA every agent's certificate
// must chain to, and each node's agent with its identity certificate (a deploy seals that node's secrets to its key).
import { z } from 'zod';
import { NodeNameSchema } from '../plan/nodeNames.ts';
import { DeployBackendSchema, PemCertificateSchema } from '../protocol/deployPackage.ts';

const HttpsUrlSchema = z.string().regex(/^https:\/\/[^\s/]+(:\d+)?$/, 'expected https://host[:port]');

export const NodeAccessSchema = z.strictObject({
  /** Where its agent answers. */
  url: HttpsUrlSchema,
  /** Its identity certificate, issued by the control CA. */
  certPem: PemCertificateSchema,
  /** What applies its part of a deploy. */
  backend: DeployBackendSchema,
});
export type NodeAccess = z.infer<typeof NodeAccessSchema>;

/**
 * Format history:
 * - 1 (2026-12-07): first version.
 */
export const OVERLAY_ACCESS_VERSION = 1;

export const OverlayAccessSchema = z.strictObject({
  version: z.literal(OVERLAY_ACCESS_VERSION),
  /** What the user calls it ("sandbox" for the one `raincoat sandbox up` makes). */
  name: z.string().min(1).max(64),
  /** The root the application logs in at and posts deploys to. */
  entry: NodeNameSchema.refine((s) => s.startsWith('root-'), 'the entry must be a root'),
  controlCaPem: PemCertificateSchema,
  /** Every node of the overlay, by name; the entry root among them. */
  nodes: z.record(NodeNameSchema, NodeAccessSchema),
}).refine((access) => Object.hasOwn(access.nodes, access.entry), { message: 'the entry root must be one of the nodes', path: ['entry'] });
export type OverlayAccess = z.infer<typeof OverlayAccessSchema>;
