// Wire schemas of the agents' flooded messages, the get_deploy request and the status report, and the bytes a message's signature covers.
import { z } from 'zod';
import { RootIdSchema } from '../topology/schemas.ts';
import { NodeNameSchema, parseNodeName } from '../plan/nodeNames.ts';
import { canonicalJson } from './canonicalJson.ts';
import { DeployPackageSchema, DigestSchema, TopologyIdSchema } from './deployPackage.ts';
import { AuditEntrySchema } from './audit.ts';
import { AdminStateHeadSchema } from './adminState.ts';
import { EnrollmentTokenIdSchema, TokenRecordSchema } from './enrollmentToken.ts';

/** Message sequence numbers run 1..MAX_SEQ and then wrap back to 1 (seed §9.2). */
export const MAX_SEQ = 1_000_000;

export const MESSAGE_TYPES = [
  'heartbeat',
  'i_have_administrator',
  'acknowledge_administrator',
  'i_lost_administrator',
  'deploy',
  'confirm_deploy',
  'audit',
  'admin_state',
  'enrollment_grant',
  'enrollment_grant_answer',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const LeafNameSchema = NodeNameSchema.refine((s) => parseNodeName(s)?.role === 'leaf', 'expected a leaf name leaf-<id>-<n>');

/** Milliseconds since the Unix epoch. */
export const TimestampSchema = z.int().nonnegative();
export const ReasonSchema = z.string().min(1).max(500);
export const LoginIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected a login id of 8 to 64 characters [A-Za-z0-9_-]');
export const UserNameSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'expected a user name without control characters');
/** An ECDSA P-256 signature in IEEE P1363 form (r ‖ s, 64 bytes), base64url without padding. */
export const SignatureSchema = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'expected a base64url P-256 signature');

// --- node status -------------------------------------------------------------------------------

export const NODE_STATES = ['pending', 'deploying', 'alive', 'down', 'failed'] as const;
export const NodeStateSchema = z.enum(NODE_STATES);
export type NodeState = z.infer<typeof NodeStateSchema>;

/** `failed` always says why; no other state carries a reason. */
const reasonOnlyWhenFailed = (s: { state: NodeState; reason?: string | undefined }) => (s.state === 'failed') === (s.reason !== undefined);
const REASON_RULE = { message: 'a reason is given exactly when the state is failed', path: ['reason'] };

export const TunnelStateSchema = z.strictObject({ peer: RootIdSchema, state: z.enum(['up', 'down', 'connecting']) });
export type TunnelState = z.infer<typeof TunnelStateSchema>;

const COUNT = z.int().nonnegative().max(1_000_000);

/** What a node last heard about one of a root's leaves, carried in the root's heartbeat. */
export const LeafSummarySchema = z
  .strictObject({
    node: LeafNameSchema,
    state: NodeStateSchema,
    reason: ReasonSchema.optional(),
    lastHeartbeat: TimestampSchema.nullable(),
    topologyId: TopologyIdSchema.nullable(),
    clientsConnected: COUNT.optional(),
  })
  .refine(reasonOnlyWhenFailed, REASON_RULE);
export type LeafSummary = z.infer<typeof LeafSummarySchema>;

/**
 * The administrator's credentials as roots store them (DESIGN.md: in the deployed topology): a salted scrypt hash,
 * never the password. Bounds on the cost parameters keep a bad record from being a denial of service.
 */
/** What one password check may cost: roots take credentials from each other's heartbeats, so this bounds what one can impose. */
const MAX_SCRYPT_BYTES = 64 * 2 ** 20;

export const AdminCredentialSchema = z
  .strictObject({
    user: UserNameSchema,
    scheme: z.literal('scrypt'),
    N: z.int().min(2 ** 14).max(2 ** 20).refine((n) => (n & (n - 1)) === 0, 'expected a power of two'),
    r: z.int().min(1).max(32),
    p: z.int().min(1).max(4),
    salt: z.string().regex(/^[A-Za-z0-9_-]{22,86}$/, 'expected 16 to 64 bytes, base64url'),
    hash: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes, base64url'),
  })
  .refine((c) => 128 * c.N * c.r <= MAX_SCRYPT_BYTES, { message: 'expected scrypt parameters needing at most 64 MiB (128·N·r bytes)', path: ['N'] });
export type AdminCredential = z.infer<typeof AdminCredentialSchema>;

/**
 * The administrator's credential as roots pass it on in their heartbeats: the newest by `changedAt` wins, ties going to
 * the lower `changedBy` root, so a password changed at one root reaches every root.
 */
export const CredentialRecordSchema = z.strictObject({
  credential: AdminCredentialSchema,
  /** When the password was set, on the clock of root `changedBy` (epoch ms). */
  changedAt: TimestampSchema,
  changedBy: RootIdSchema,
});
export type CredentialRecord = z.infer<typeof CredentialRecordSchema>;

/**
 * A heartbeat: the sender's own state (never `down`: silence says that), how often it beats, and for a root
 * the summary of its leaves. Clients and tunnels are present where the backend can tell.
 */
export const HeartbeatBodySchema = z
  .strictObject({
    state: z.enum(['pending', 'deploying', 'alive', 'failed']),
    reason: ReasonSchema.optional(),
    topologyId: TopologyIdSchema.nullable(),
    intervalMs: z.int().min(100).max(3_600_000),
    clientsConnected: COUNT.optional(),
    tunnels: z.array(TunnelStateSchema).max(1024).optional(),
    leaves: z.array(LeafSummarySchema).max(4096).optional(),
    /** A root's: the administrator's credential it holds, if one was set (see CredentialRecordSchema). */
    adminCredential: CredentialRecordSchema.optional(),
  })
  .refine(reasonOnlyWhenFailed, REASON_RULE);
export type HeartbeatBody = z.infer<typeof HeartbeatBodySchema>;

// --- administrator lock (seed §4, §9.1.2) ------------------------------------------------------

/** A login attempt or session at a root; the root is the message's origin. */
export const AdministratorClaimSchema = z.strictObject({
  rootId: RootIdSchema,
  loginId: LoginIdSchema,
  user: UserNameSchema,
  /** True once every live root acknowledged it: a session, no longer a request. */
  established: z.boolean(),
});
export type AdministratorClaim = z.infer<typeof AdministratorClaimSchema>;

/** Flooded by a root whose administrator is logging in (established: false) or has logged in (true). */
export const IHaveAdministratorBodySchema = z.strictObject({
  loginId: LoginIdSchema,
  user: UserNameSchema,
  established: z.boolean(),
});

/**
 * A root's answer to root `rootId`'s login `loginId`: granted, or refused (also when it withdraws an earlier
 * grant in favour of a lower root id) with the reason and the claim it holds instead.
 */
export const AcknowledgeAdministratorBodySchema = z.discriminatedUnion('granted', [
  z.strictObject({ rootId: RootIdSchema, loginId: LoginIdSchema, granted: z.literal(true) }),
  z.strictObject({
    rootId: RootIdSchema,
    loginId: LoginIdSchema,
    granted: z.literal(false),
    reason: ReasonSchema,
    holder: AdministratorClaimSchema.optional(),
  }),
]);

export const LOST_ADMINISTRATOR_REASONS = ['logout', 'idle', 'refused', 'lost_race', 'timeout'] as const;
/** Flooded by a root whose login attempt or session `loginId` ended. */
export const ILostAdministratorBodySchema = z.strictObject({
  loginId: LoginIdSchema,
  reason: z.enum(LOST_ADMINISTRATOR_REASONS),
});

// --- deploy (seed §9.1.1) ----------------------------------------------------------------------

/** The entry root (the origin) has package `topologyId`; neighbours fetch it with get_deploy. */
export const DeployBodySchema = z.strictObject({
  topologyId: TopologyIdSchema,
  /** The package's digest as deployPackage.ts computes it (sha256:<hex>). */
  digest: DigestSchema,
  size: z.int().positive(),
  /** Epoch ms: a node that applied the package reverts unless confirm_deploy reaches it before this. */
  confirmBy: TimestampSchema,
  /**
   * The package's index (packageIndex: a copy that carries no part), when it is small enough to flood: a node that runs
   * its part as the package carries it (a root, its leaves' too) takes the deploy from it and fetches nothing.
   */
  index: DeployPackageSchema.refine((copy) => Object.keys(copy.nodes).length === 0, { message: 'an index carries no part', path: ['nodes'] }).optional(),
});

export const ConfirmDeployBodySchema = z.strictObject({ topologyId: TopologyIdSchema });

/**
 * The request a node sends to the neighbour that flooded `deploy` to it: the package, by id and digest; with `parts`,
 * a copy with only those nodes' parts (a root's name takes its leaves' too), the others left out by their digests.
 */
export const GetDeployRequestSchema = z.strictObject({ topologyId: TopologyIdSchema, digest: DigestSchema, parts: z.array(NodeNameSchema).max(4096).optional() });
export type GetDeployRequest = z.infer<typeof GetDeployRequestSchema>;

// --- enrollment grants: another root's tokens for client VMs ------------------------------------

/**
 * From the root where the administrator is logged in: root `rootId` is to keep a token (its hash only, never the token)
 * or revoke one. That root takes it only from the root whose established administrator lock `loginId` it honours.
 */
export const EnrollmentGrantBodySchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('grant'), rootId: RootIdSchema, loginId: LoginIdSchema, token: TokenRecordSchema }),
  z.strictObject({ action: z.literal('revoke'), rootId: RootIdSchema, loginId: LoginIdSchema, tokenId: EnrollmentTokenIdSchema }),
]);

/** The granted root's answer to root `rootId`, which asked: done, or refused with why. */
export const EnrollmentGrantAnswerBodySchema = z.strictObject({
  rootId: RootIdSchema,
  action: z.enum(['grant', 'revoke']),
  tokenId: EnrollmentTokenIdSchema,
  done: z.boolean(),
  reason: ReasonSchema.optional(),
});

// --- the flooded message -----------------------------------------------------------------------

export const MESSAGE_BODY_SCHEMAS = {
  heartbeat: HeartbeatBodySchema,
  i_have_administrator: IHaveAdministratorBodySchema,
  acknowledge_administrator: AcknowledgeAdministratorBodySchema,
  i_lost_administrator: ILostAdministratorBodySchema,
  deploy: DeployBodySchema,
  confirm_deploy: ConfirmDeployBodySchema,
  /** An entry of the audit trail, from the root that recorded it, for every root to keep (src-shared/protocol/audit.ts). */
  audit: AuditEntrySchema,
  /** The administrator's state a root took from the application: every root fetches it from the neighbour that told it (src-shared/protocol/adminState.ts). */
  admin_state: AdminStateHeadSchema,
  enrollment_grant: EnrollmentGrantBodySchema,
  enrollment_grant_answer: EnrollmentGrantAnswerBodySchema,
} as const satisfies Record<MessageType, z.ZodType>;

export type MessageBody<T extends MessageType> = z.infer<(typeof MESSAGE_BODY_SCHEMAS)[T]>;

/** `origin.seq`, the seed's message id. */
export const MessageIdSchema = z.string().max(48).regex(/^[a-z0-9-]+\.[1-9]\d{0,6}$/, 'expected a message id <origin>.<seq>');

const envelope = { id: MessageIdSchema, origin: NodeNameSchema, ts: TimestampSchema, sig: SignatureSchema };
const variant = <T extends MessageType>(type: T) => z.strictObject({ ...envelope, type: z.literal(type), body: MESSAGE_BODY_SCHEMAS[type] });

export const FloodMessageSchema = z
  .discriminatedUnion('type', [
    variant('heartbeat'),
    variant('i_have_administrator'),
    variant('acknowledge_administrator'),
    variant('i_lost_administrator'),
    variant('deploy'),
    variant('confirm_deploy'),
    variant('audit'),
    variant('admin_state'),
    variant('enrollment_grant'),
    variant('enrollment_grant_answer'),
  ])
  .refine((m) => seqOfId(m.id, m.origin) !== undefined, { message: `expected the id to be <origin>.<seq> with seq 1..${MAX_SEQ}`, path: ['id'] });

export type FloodMessage = z.infer<typeof FloodMessageSchema>;
export type FloodMessageOf<T extends MessageType> = Extract<FloodMessage, { type: T }>;
/** Everything but the signature: what the origin signs. */
export type UnsignedFloodMessage = FloodMessage extends infer M ? (M extends unknown ? Omit<M, 'sig'> : never) : never;

/** The seq of `id` when it is `<origin>.<seq>` with seq in 1..MAX_SEQ. */
export function seqOfId(id: string, origin: string): number | undefined {
  if (!id.startsWith(`${origin}.`)) return undefined;
  const digits = id.slice(origin.length + 1);
  if (!/^[1-9]\d*$/.test(digits)) return undefined;
  const seq = Number(digits);
  return seq <= MAX_SEQ ? seq : undefined;
}

/** Builds the unsigned message with its id; the body is checked against its type's schema (throws on a bad body). */
export function buildUnsignedMessage<T extends MessageType>(origin: string, seq: number, type: T, ts: number, body: MessageBody<T>): UnsignedFloodMessage {
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`seq ${seq} is outside 1..${MAX_SEQ}`);
  const checked = MESSAGE_BODY_SCHEMAS[type].parse(body);
  return { id: `${origin}.${seq}`, origin, type, ts, body: checked } as UnsignedFloodMessage;
}

const utf8 = new TextEncoder();

/** The bytes a signature covers: the canonical JSON of every field but `sig`. */
export function canonicalMessageBytes(message: UnsignedFloodMessage | FloodMessage): Uint8Array {
  const { id, origin, type, ts, body } = message;
  return utf8.encode(canonicalJson({ id, origin, type, ts, body }));
}

// --- the status endpoint -----------------------------------------------------------------------

/** One node as the status endpoint reports it. `lastHeartbeat` is when it was last heard of (epoch ms), null if never. */
export const NodeStatusSchema = z
  .strictObject({
    node: NodeNameSchema,
    state: NodeStateSchema,
    reason: ReasonSchema.optional(),
    lastHeartbeat: TimestampSchema.nullable(),
    topologyId: TopologyIdSchema.nullable(),
    clientsConnected: COUNT.optional(),
    tunnels: z.array(TunnelStateSchema).max(1024).optional(),
  })
  .refine(reasonOnlyWhenFailed, REASON_RULE);
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const StatusSnapshotSchema = z.strictObject({
  /** The reporting node. */
  node: NodeNameSchema,
  generatedAt: TimestampSchema,
  nodes: z.array(NodeStatusSchema),
});
export type StatusSnapshot = z.infer<typeof StatusSnapshotSchema>;
