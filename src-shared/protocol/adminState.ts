// The administrator's state as the overlay keeps it on every root (seed: its whole database on every root): what the
// application last deployed and the overlay's keys sealed under the administrator's passphrase, so that any
// workstation that logs in at any root gets the deployed topology back, and the keys with the passphrase.
import { z } from 'zod';
import { RootIdSchema } from '../topology/schemas.ts';
import { SealedEnvelopeSchema } from '../secrets/sealedEnvelope.ts';
import { canonicalJson } from './canonicalJson.ts';
import { DigestSchema, TopologyIdSchema } from './deployPackage.ts';

/**
 * Format history:
 * - 1 (2026-12-08): first version.
 */
export const ADMIN_STATE_VERSION = 1;

/**
 * The most a kept state weighs (its canonical JSON; every character of it is ASCII). Measured (bench/topologies.ts,
 * dry-run backend): a 50-root overlay of 200 nodes keeps 1.05 MiB (the deployed record gzipped 347 KiB of 3.4 MiB, the
 * sealed keys 618 KiB; on VyOS 0.77 MiB), the 500-root overlay of 2,000 nodes the package limit was sized for
 * (agentApi.ts) 10.7 MiB: about 5.5 KiB a node, so 16 MiB holds some 3,000 nodes, within that limit (32 MiB).
 */
export const ADMIN_STATE_MAX_BYTES = 16 * 1024 * 1024;

/** A session reads a state this much at a time: the application takes answers of 4 MiB at most (httpsTransport.ts). */
export const ADMIN_STATE_PAGE_CHARS = 1024 * 1024;

const Base64UrlSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected base64url');

/** What the application puts at the entry root after a confirmed deploy. It never holds a key in plain text. */
export const AdminStateSchema = z.strictObject({
  version: z.literal(ADMIN_STATE_VERSION),
  topologyId: TopologyIdSchema,
  /** When the application recorded the deploy (its own clock). */
  deployedAt: z.iso.datetime(),
  /**
   * The application's deployed record (src-main/core/deployRun/deployedRecord.ts: the topology and every node's files
   * with secrets shown as `[secret]`) as JSON, gzipped, base64url: the roots keep it without reading it.
   */
  deployed: Base64UrlSchema.max(ADMIN_STATE_MAX_BYTES),
  /** The overlay's kept keys, wrapped under the passphrase alone: they open on any machine with it, on none without it. */
  keys: SealedEnvelopeSchema.refine((envelope) => envelope.osKey === undefined, { message: "expected keys sealed under the passphrase alone, not one machine's store", path: ['osKey'] }),
});
export type AdminState = z.infer<typeof AdminStateSchema>;

/**
 * A state as a root keeps it and passes it on: stamped by the root it was put at, on that root's clock. The newest
 * stamp wins everywhere; roots keep their clocks, workstations may not, and one administrator deploys at a time.
 */
export const KeptAdminStateSchema = z.strictObject({
  version: z.literal(ADMIN_STATE_VERSION),
  storedAt: z.int().nonnegative(),
  storedBy: RootIdSchema,
  state: AdminStateSchema,
});
export type KeptAdminState = z.infer<typeof KeptAdminStateSchema>;

/** Which kept state a root has: flooded when it is put, asked of a neighbour, given with every page a session reads. */
export const AdminStateHeadSchema = z.strictObject({
  topologyId: TopologyIdSchema,
  storedAt: z.int().nonnegative(),
  storedBy: RootIdSchema,
  /** sha256 of the kept state's canonical JSON. */
  digest: DigestSchema,
  /** That JSON's length: characters and bytes alike. */
  size: z.int().positive().max(ADMIN_STATE_MAX_BYTES),
});
export type AdminStateHead = z.infer<typeof AdminStateHeadSchema>;

/** True when `a` is newer than `b` (or there is no `b`): the later stamp, the higher digest between two alike. */
export function isNewerState(a: AdminStateHead, b: AdminStateHead | undefined): boolean {
  if (b === undefined) return true;
  return a.storedAt !== b.storedAt ? a.storedAt > b.storedAt : a.digest > b.digest;
}

/** `sha256:<hex>` of a text's UTF-8 bytes. */
export function textDigest(text: string): Promise<string> {
  return bytesDigest(new TextEncoder().encode(text));
}

/** `sha256:<hex>` of bytes: a text's digest from the bytes it came as, with no decoding and encoding again. */
export async function bytesDigest(bytes: Uint8Array): Promise<string> {
  // Never a shared buffer's view here (files and answers read): WebCrypto's type asks for a plain ArrayBuffer.
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The text a kept state is stored, passed on and read as (its canonical JSON), and its head. */
export async function keptStateText(kept: KeptAdminState): Promise<{ text: string; head: AdminStateHead }> {
  const text = canonicalJson(kept);
  return { text, head: { topologyId: kept.state.topologyId, storedAt: kept.storedAt, storedBy: kept.storedBy, digest: await textDigest(text), size: text.length } };
}

// --- the routes' bodies and answers ------------------------------------------------------------------------------

export const PutAdminStateAnswerSchema = z.strictObject({
  head: AdminStateHeadSchema,
  /** `same`: this root keeps that very state already (a repeated put), and nothing changed. */
  kept: z.enum(['new', 'same']),
});

export const ReadAdminStateRequestSchema = z.strictObject({
  /** Where in the kept state's text the page begins. */
  offset: z.int().nonnegative().max(ADMIN_STATE_MAX_BYTES).default(0),
  /** The state the earlier pages were of: refused as a conflict when the root keeps another by now. */
  digest: DigestSchema.optional(),
});

export const AdminStatePageSchema = z.strictObject({
  head: AdminStateHeadSchema,
  offset: z.int().nonnegative(),
  /** The text from `offset`, ADMIN_STATE_PAGE_CHARS at most; the last page ends at `head.size`. */
  text: z.string().max(ADMIN_STATE_PAGE_CHARS),
});
export type AdminStatePage = z.infer<typeof AdminStatePageSchema>;

/** A neighbour asks for the state with this digest: the one kept, or the one being fetched. */
export const GetAdminStateRequestSchema = z.strictObject({ digest: DigestSchema });

export const AdminStateHeadAnswerSchema = z.strictObject({ head: AdminStateHeadSchema.nullable() });
