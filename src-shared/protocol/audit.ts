// The overlay's audit trail on the wire: what roots record of the administrator's sessions and deploys, what the
// application adds that only it knows (a deploy's plan and per-node outcome, a rotation, a revocation), and the entry
// every root keeps of either, with when, at which root, by whom and from where.
import { z } from 'zod';
import { NodeNameSchema } from '../plan/nodeNames.ts';
import { RootIdSchema } from '../topology/schemas.ts';
import { DigestSchema, TopologyIdSchema } from './deployPackage.ts';
import { REFUSAL_CODES } from './refusals.ts';

/**
 * How much one entry lists of each kind of list: bare node names, nodes with details (a changed node's files, a failed
 * node's reason), one-line items (keys, tunnels). A deploy's plan and outcome with more take several entries, each
 * `part` of them, so that no entry grows past what every root takes in one flooded message (AUDIT_ENTRY_MAX_BYTES).
 */
export const AUDIT_PAGE = { names: 500, details: 25, lines: 500 } as const;
/**
 * The most an entry can weigh as JSON, every list full and every text at its bound (audit.test.ts builds one): with its
 * message's envelope and its origin's certificate (8 KiB at most), within an agent's default line of 256 KiB. Pages this
 * large keep a 5,000-node first deploy to 20 entries, well within what a root's flood queue holds for one origin.
 */
export const AUDIT_ENTRY_MAX_BYTES = 192 * 1024;

const Count = z.int().nonnegative().max(1_000_000);

/** Controls, bidirectional marks and overrides, and a surrogate without its pair. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
const EACH_UNPRINTABLE = new RegExp(UNPRINTABLE.source, 'gu');
/** Text an entry carries is printable: nothing in it can forge or hide a line of what an auditor reads. */
const PrintableText = (max: number) => z.string().min(1).max(max).refine((s) => !UNPRINTABLE.test(s), 'expected printable characters only');

const USER_MAX = 64;
const REASON_MAX = 600;

/** An administrator's user name as an entry carries it; for a refused login, the name that was tried. */
export const AuditUserSchema = PrintableText(USER_MAX);
/** Why something was refused or ended, in the root's or the application's words: never a password, token or key. */
const ReasonSchema = PrintableText(REASON_MAX);

/** Text made fit for an entry: each unprintable character replaced, cut to `max` UTF-16 units at a character's end. */
function printable(text: string, max: number, replacement: string): string {
  let shown = '';
  // By code point, so that a cut never splits a surrogate pair.
  for (const character of text.replace(EACH_UNPRINTABLE, replacement)) {
    if (shown.length + character.length > max) break;
    shown += character;
  }
  return shown;
}

/** A user name as someone typed it at a login (a guesser's input, kept as evidence), fit for an entry. */
export const auditUser = (typed: string): string => printable(typed, USER_MAX, '?') || '?';
/** A reason fit for an entry: on one line, cut to its bound. */
export const auditReason = (reason: string): string => printable(reason, REASON_MAX, ' ') || '-';

/** Where a request came from: the address the root saw (IPv4, IPv6, IPv4-mapped IPv6, with a zone). */
export const SourceAddressSchema = z.string().regex(/^[0-9A-Za-z:.%_-]{1,64}$/, 'expected an IP address');

/** Part `index` of `of` entries that together make one plan or outcome. */
const PartSchema = z.strictObject({ index: z.int().min(1).max(10_000), of: z.int().min(1).max(10_000) }).refine((p) => p.index <= p.of, 'expected index ≤ of');

// --- what the application posts (POST /v1/audit) -----------------------------------------------------------------

/** Text of Raincoat's own making (file paths, the plan's key lines): printable ASCII, a byte a character. */
const AsciiText = (max: number) => z.string().regex(new RegExp(`^[\\x20-\\x7e]{1,${max}}$`), `expected 1 to ${max} printable ASCII characters`);
const TunnelNameSchema = z.string().regex(/^tunnel-\d{1,6}-\d{1,6}$/, 'expected a tunnel name tunnel-<a>-<b>');

/** A deploy's plan as approved: the counts, then the nodes it adds, changes (with their files) and removes, the keys it makes and the tunnels it deletes, a page at a time. */
export const DeployPlanNoteSchema = z.strictObject({
  kind: z.literal('deploy-plan'),
  topologyId: TopologyIdSchema,
  counts: z.strictObject({ added: Count, changed: Count, unchanged: Count, removed: Count, keys: Count }),
  added: z.array(NodeNameSchema).max(AUDIT_PAGE.names),
  removed: z.array(NodeNameSchema).max(AUDIT_PAGE.names),
  changed: z.array(z.strictObject({ node: NodeNameSchema, files: z.array(AsciiText(64)).max(16) })).max(AUDIT_PAGE.details),
  keys: z.array(AsciiText(120)).max(AUDIT_PAGE.lines),
  removedTunnels: z.array(TunnelNameSchema).max(AUDIT_PAGE.lines),
  part: PartSchema,
});

const NodeProblemSchema = z.strictObject({ node: NodeNameSchema, outcome: z.enum(['failed', 'unreachable']), reason: ReasonSchema });

/** How a posted deploy ended, node by node: `not-posted` when the entry root did not take it. */
export const DeployOutcomeNoteSchema = z.strictObject({
  kind: z.literal('deploy-outcome'),
  topologyId: TopologyIdSchema,
  result: z.enum(['followed', 'not-posted']),
  counts: z.strictObject({ applied: Count, failed: Count, unreachable: Count }),
  confirmed: z.boolean(),
  /** Why it was not posted, or not confirmed. */
  reason: ReasonSchema.optional(),
  /** Nodes that report the deploy's topology. */
  applied: z.array(NodeNameSchema).max(AUDIT_PAGE.names),
  /** Nodes that did not, with why. */
  problems: z.array(NodeProblemSchema).max(AUDIT_PAGE.details),
  part: PartSchema,
});

/** A tunnel's pre-shared key marked for rotation at the next deploy (`tunnel-1-2`). */
export const PskRotationNoteSchema = z.strictObject({ kind: z.literal('psk-rotated'), tunnel: TunnelNameSchema, alreadyMarked: z.boolean() });

/** A leaf's or a client's certificates put on its root's CRL, carried by the next deploy. */
export const RevocationNoteSchema = z.strictObject({
  kind: z.literal('certificate-revoked'),
  subject: z.string().regex(/^(leaf|client)-\d+-\d+$/),
  rootId: RootIdSchema,
  revoked: Count,
});

/** What the application records through a session: only it knows these. */
export const AuditNoteSchema = z.discriminatedUnion('kind', [DeployPlanNoteSchema, DeployOutcomeNoteSchema, PskRotationNoteSchema, RevocationNoteSchema]);
export type AuditNote = z.infer<typeof AuditNoteSchema>;

// --- what a root records itself ----------------------------------------------------------------------------------

/** The root's own events: the application cannot post these. */
export const RootEventSchema = z.discriminatedUnion('kind', [
  /** Credentials accepted; the lock is `held` at once (a lone root) or `waiting` for the other roots. */
  z.strictObject({ kind: z.literal('login'), lock: z.enum(['held', 'waiting']) }),
  /**
   * A login turned away after its credentials were judged (wrong, a password to change, the lock held elsewhere), with
   * the agent's refusal. `alsoRefused`: refusals from the same address the root did not record before this one (it
   * records a few a minute per address at most, and one turned away unchecked, rate-limited or busy, only so).
   */
  z.strictObject({ kind: z.literal('login-refused'), refusal: z.enum(REFUSAL_CODES), reason: ReasonSchema, alsoRefused: Count }),
  /** Every live root acknowledged the login: the administrator holds the overlay-wide lock. */
  z.strictObject({ kind: z.literal('lock-held') }),
  /** The login did not get the lock (another administrator has it, or the roots did not all answer). */
  z.strictObject({ kind: z.literal('lock-refused'), reason: ReasonSchema }),
  z.strictObject({ kind: z.literal('logout') }),
  /** The session ended without a logout: idle too long, or given up to a session at a lower root id. */
  z.strictObject({ kind: z.literal('session-ended'), reason: ReasonSchema }),
  /** A deploy package taken at its entry root, to be flooded to every node. */
  z.strictObject({ kind: z.literal('deploy-posted'), topologyId: TopologyIdSchema, digest: DigestSchema, nodes: Count }),
  /** The confirmation flooded from the entry root; `reason` when the root itself had nothing to confirm. */
  z.strictObject({ kind: z.literal('deploy-confirmed'), topologyId: TopologyIdSchema, reason: ReasonSchema.optional() }),
]);
export type RootEvent = z.infer<typeof RootEventSchema>;

export const AuditEventSchema = z.discriminatedUnion('kind', [RootEventSchema, AuditNoteSchema]);
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** 96 random bits, base64url: each entry's own name, how every root tells a copy it has from a new entry. */
export const AuditIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'expected an audit entry id of 16 characters [A-Za-z0-9_-]');

/** One entry as every root keeps it (and floods it, as an `audit` message from the root that recorded it). */
export const AuditEntrySchema = z.strictObject({
  id: AuditIdSchema,
  /** Epoch ms on the recording root's clock. */
  at: z.int().nonnegative(),
  /** The root that recorded it: where the login, the logout or the post happened. */
  root: RootIdSchema,
  /** The administrator; for a refused login, the name that was tried. */
  user: AuditUserSchema.optional(),
  /** Where the request came from, as the root saw it. */
  address: SourceAddressSchema.optional(),
  event: AuditEventSchema,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

// --- the routes' bodies and answers ------------------------------------------------------------------------------

/** Entries a root keeps (`maxEntries` in src-agent/audit/auditLog.ts): at most this many in one answer. */
export const AUDIT_READ_MAX = 2_000;
export const AUDIT_READ_DEFAULT = 200;

export const ReadAuditRequestSchema = z.strictObject({
  /** Only entries recorded at or after this (epoch ms). */
  since: z.int().nonnegative().optional(),
  /** The newest this many of them. */
  limit: z.int().min(1).max(AUDIT_READ_MAX).default(AUDIT_READ_DEFAULT),
});

export const AuditAnswerSchema = z.strictObject({
  /** The root that answered. */
  node: NodeNameSchema,
  /** Oldest first, newest last. */
  entries: z.array(AuditEntrySchema).max(AUDIT_READ_MAX),
  /** How many more entries matched `since` than `limit` let through (older ones). */
  omitted: Count,
});
export type AuditAnswer = z.infer<typeof AuditAnswerSchema>;

export const RecordedAuditSchema = z.strictObject({ id: AuditIdSchema });
