// The seen-set as it is kept between runs: a restart must not turn what the node had already handled into new messages.
import { z } from 'zod';

export const SeenSetFileSchema = z.strictObject({
  version: z.literal(1),
  /** [message key, expiry in epoch ms], oldest first. */
  entries: z.array(z.tuple([z.string().min(1).max(64), z.int().nonnegative()])).max(250_000),
});
export type SeenSetFile = z.infer<typeof SeenSetFileSchema>;
