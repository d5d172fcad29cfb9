// Enrollment tokens for client VMs as the agent's API and the overlay's grants carry them: what the application is shown
// of a token, and what a root keeps of it (the hash, never the token).
import { z } from 'zod';

export const EnrollmentTokenIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'expected a token id of 16 hex digits');

export const TokenInfoSchema = z.strictObject({
  id: EnrollmentTokenIdSchema,
  label: z.string().optional(),
  usesLeft: z.int().nonnegative(),
  expiresAt: z.number(),
  createdAt: z.number(),
  revoked: z.boolean(),
});
export type TokenInfo = z.infer<typeof TokenInfoSchema>;

/** What a root keeps: the token's info and the hash of its secret part. */
export const TokenRecordSchema = TokenInfoSchema.extend({
  /** SHA-256 of the secret part, base64url: the secret has 256 bits, so a fast hash is as good as a slow one. */
  hash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type TokenRecord = z.infer<typeof TokenRecordSchema>;
