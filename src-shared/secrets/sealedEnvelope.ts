// The one format secrets are kept in at rest: data under a random data key (AES-256-GCM), that key wrapped under the
// administrator's passphrase (scrypt) and, on the machine that made it, by the OS's own store. Declared here, pure, so
// that whoever keeps such an envelope (the application's keys file, a root keeping the administrator's state) checks
// the same shape and the same bounds.
import { z } from 'zod';

/**
 * Format history:
 * - 1 (2026-12-07): first version.
 */
export const SEALED_ENVELOPE_VERSION = 1;
export const SEALED_ENVELOPE_FORMAT = 'raincoat-sealed';

/** How much sealed data one envelope carries (bytes, before base64): far above an overlay of hundreds of nodes. */
export const MAX_SEALED_BYTES = 48 * 2 ** 20;

/** Bounds on what one scrypt run may cost, read from a file or a peer: a crafted envelope must not be a denial of service. */
const MAX_SCRYPT_MEMORY = 256 * 2 ** 20;
const MAX_SCRYPT_WORK = 512 * 2 ** 20;

/** `n` bytes as base64url without padding. */
const bytes = (n: number, what: string) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((4 * n) / 3)}}$`), `expected ${what} (${n} bytes, base64url)`);
const GCM_TAG_BYTES = 16;

/** What the data is (`overlay-keys`, `administrator-state`): authenticated with it, so one kind never opens as another. */
export const SealPurposeSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'expected a purpose: lowercase letters, digits and dashes');

/** AES-256-GCM output: a 12-byte nonce, and the ciphertext with its 16-byte tag at the end. */
const gcm = (ct: z.ZodString) => ({ iv: bytes(12, 'a nonce'), ct });

export const ScryptCostSchema = z.strictObject({
  N: z
    .int()
    .min(2 ** 14)
    .max(2 ** 20)
    .refine((n) => (n & (n - 1)) === 0, 'expected a power of two'),
  r: z.int().min(1).max(32),
  p: z.int().min(1).max(4),
});
export type ScryptCost = z.infer<typeof ScryptCostSchema>;

/** scrypt needs 128·N·r bytes, p times over. */
export const scryptMemory = (cost: ScryptCost): number => 128 * cost.N * cost.r;

export const PassphraseWrapSchema = z
  .strictObject({
    kdf: z.literal('scrypt'),
    ...ScryptCostSchema.shape,
    salt: z.string().regex(/^[A-Za-z0-9_-]{22,86}$/, 'expected a salt (16 to 64 bytes, base64url)'),
    /** The 32-byte data key and its tag, under the key scrypt derives from the passphrase and the salt. */
    ...gcm(bytes(32 + GCM_TAG_BYTES, 'a wrapped key')),
  })
  .refine((w) => scryptMemory(w) <= MAX_SCRYPT_MEMORY && w.p * scryptMemory(w) <= MAX_SCRYPT_WORK, {
    message: `expected scrypt parameters needing at most ${MAX_SCRYPT_MEMORY / 2 ** 20} MiB (128·N·r bytes), ${MAX_SCRYPT_WORK / 2 ** 20} MiB times p`,
    path: ['N'],
  });
export type PassphraseWrap = z.infer<typeof PassphraseWrapSchema>;

/** The data key as the OS's store on one machine sealed it (Electron's safeStorage): opens there, without a passphrase. */
export const OsWrapSchema = z.strictObject({
  /** Which store sealed it; another opens nothing. */
  box: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'expected the name of an OS store'),
  ct: z.string().regex(/^[A-Za-z0-9_-]{1,4096}$/, 'expected at most 3 KiB, base64url'),
});
export type OsWrap = z.infer<typeof OsWrapSchema>;

export const SealedEnvelopeSchema = z.strictObject({
  format: z.literal(SEALED_ENVELOPE_FORMAT),
  version: z.literal(SEALED_ENVELOPE_VERSION),
  purpose: SealPurposeSchema,
  // Bounded by length apart from the pattern: a pattern `{22,N}` with N this large overflows V8's stack on megabytes.
  data: z.strictObject(
    gcm(
      z
        .string()
        .min(22, 'expected sealed data (base64url)')
        .max(Math.ceil((4 * (MAX_SEALED_BYTES + GCM_TAG_BYTES)) / 3), 'expected sealed data (base64url)')
        .regex(/^[A-Za-z0-9_-]+$/, 'expected sealed data (base64url)'),
    ),
  ),
  passphraseKey: PassphraseWrapSchema,
  osKey: OsWrapSchema.optional(),
});
export type SealedEnvelope = z.infer<typeof SealedEnvelopeSchema>;

/** True for what claims to be an envelope (whether or not it is a valid one): anything else is not sealed at all. */
export function looksSealed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === SEALED_ENVELOPE_FORMAT;
}
