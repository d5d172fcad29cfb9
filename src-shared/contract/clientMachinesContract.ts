// The contract's client-machine calls: how a new client VM of a root's cloud gets onto the overlay (a first-boot script
// with a fresh enrollment token) and a ready client profile for a machine set up by hand.
import { z } from 'zod';
import { MAX_TOKEN_USES } from '../protocol/agentApi.ts';
import { RootIdSchema } from '../topology/schemas.ts';

const RefusedSchema = z.object({ ok: z.literal(false), reason: z.string() });

export const FirstBootScriptSchema = z.object({
  ok: z.literal(true),
  /** The root's node name (`root-1`), whose agent the script enrolls at. */
  node: z.string(),
  /** The cloud-init user-data: a shell script with the root's address, the overlay's control CA and the token in it. */
  script: z.string(),
  /** The token's id (the token itself is in the script only), how many machines it enrolls, and until when (epoch ms). */
  tokenId: z.string(),
  machines: z.int().positive(),
  expiresAt: z.number(),
});
export type FirstBootScript = z.output<typeof FirstBootScriptSchema>;

export const ClientProfileSchema = z.object({
  ok: z.literal(true),
  /** The client's name as the root's CA certified it (`client-1-…`), and the node its profile connects to. */
  name: z.string(),
  node: z.string(),
  /** An OpenVPN profile with the client's certificate and key inline. */
  profile: z.string(),
});
export type ClientProfile = z.output<typeof ClientProfileSchema>;

export const clientMachinesCalls = {
  /**
   * A first-boot script for `machines` new client VMs of the root's cloud, with a fresh enrollment token made at the
   * root for that many uses. Refused (`ok: false`, why) without a session, or when the root does not make the token.
   */
  'clients.firstBoot': {
    input: z.object({ rootId: RootIdSchema, machines: z.int().min(1).max(MAX_TOKEN_USES) }),
    output: z.discriminatedUnion('ok', [FirstBootScriptSchema, RefusedSchema]),
  },
  /**
   * A client profile enrolled at the root as a client VM would be (a key made here and given only in the answer, a
   * single-use token), for a machine set up by hand. Refused as `clients.firstBoot` is, or when the root does not enroll.
   */
  'clients.profile': {
    input: z.object({ rootId: RootIdSchema }),
    output: z.discriminatedUnion('ok', [ClientProfileSchema, RefusedSchema]),
  },
} as const;
