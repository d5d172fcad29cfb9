// The agent's HTTP API, declared once: every route's method, path, callers, body and answer schemas, size limit and
// refusals. The agent serves its routes from this table (src-agent/wire/agentServer.ts) and the application's agent
// client is built from it (src-main/core/agentClient), as the renderer↔main contract is (src-shared/contract).
import { z } from 'zod';
import { AuditAnswerSchema, AuditNoteSchema, ReadAuditRequestSchema, RecordedAuditSchema } from './audit.ts';
import {
  AdminStateHeadAnswerSchema,
  AdminStatePageSchema,
  AdminStateSchema,
  GetAdminStateRequestSchema,
  KeptAdminStateSchema,
  PutAdminStateAnswerSchema,
  ReadAdminStateRequestSchema,
} from './adminState.ts';
import { DeployPackageSchema, DigestSchema, TopologyIdSchema } from './deployPackage.ts';
import { RootIdSchema } from '../topology/schemas.ts';
import { ConfirmDeployBodySchema, GetDeployRequestSchema, LoginIdSchema, MESSAGE_TYPES, StatusSnapshotSchema } from './messages.ts';
import { EnrollmentTokenIdSchema, TokenInfoSchema } from './enrollmentToken.ts';
import type { RefusalCode } from './refusals.ts';

/**
 * The API's version, in every path (`/v1/…`). History:
 * - 1 (2026-11-25): flooding, heartbeats and status, the administrator lock, deploy with confirm, client enrollment;
 *   declared as this table on 2026-12-07, unchanged on the wire. Also 2026-12-07, within version 1 (an older agent
 *   still understands every request): a flood line may be refused as `forbidden` (a leaf originates only its
 *   heartbeat) or `rate_limited` (past its origin's share), and a package is refused past 32 MiB instead of 64 MiB.
 *   2026-12-08, within version 1 (added routes; every request an older agent understood it still does): the audit
 *   trail, `POST /v1/audit` (the application records a deploy's plan and outcome, a rotation, a revocation) and
 *   `POST /v1/audit/read` (its entries since a time; a POST, as every route's parameters are a checked JSON body), and
 *   the flooded message `audit` that carries each entry to every root (an older root refuses it as malformed).
 *   2026-12-08, within version 1 (added routes and a message type; every request an older agent understood it still
 *   does): the administrator's state on every root (src-shared/protocol/adminState.ts), `POST /v1/admin-state` (the
 *   application puts it after a confirmed deploy) and `POST /v1/admin-state/read` (a page of it), for sessions;
 *   `GET /v1/admin-state/head` and `POST /v1/admin-state/get` between neighbours; the flooded message `admin_state`
 *   that tells every root to fetch it (an older root refuses it as malformed, and keeps no state).
 *   2026-12-08, within version 1 (an optional field; every request an older agent understood it still does): the token
 *   routes take another root's `rootId`: the session's root grants the token there with the flooded messages
 *   `enrollment_grant` and `enrollment_grant_answer` (an older root refuses them as malformed; the grant then times out).
 *   2026-12-07, within version 1 (an optional field) with deploy package version 3: `get_deploy` takes `parts`, the nodes
 *   whose parts the asker wants, and is answered a copy of the package with the others left out by their digests; an
 *   older agent refuses a version 3 package by its version, so the agents of an overlay are updated together.
 */
export const AGENT_API_VERSION = 1;

/**
 * Who may call a route; any one listed suffices:
 * - `neighbour`: mutual TLS with a control-CA certificate whose node name is one of the node's neighbours;
 * - `node`: mutual TLS with any control-CA certificate (a neighbour, the node's own CLI, a test harness);
 * - `session`: the application, with a session token from login (`Authorization: Bearer …`);
 * - `enrollment`: a client VM, which proves itself by the enrollment token its body carries;
 * - `public`: anyone (login, which is how a session begins).
 */
export type Access = 'neighbour' | 'node' | 'session' | 'enrollment' | 'public';

/**
 * Which body limit applies: `small` (4 KiB: a request that names something, not a configurable one), or one of the
 * agent's configured limits, `message` (`maxBodyBytes`, 256 KiB by default) or `package` (`maxPackageBytes`, 32 MiB by
 * default: a deploy package carries every node's files). The package of bench/topologies.ts's 500 roots (1,000 tunnels,
 * 250 clients each, so 2,000 nodes, rendered and sealed as the application does) is 17.0 MiB, about 9 KiB a node: 32 MiB
 * leaves room for nearly twice that, and an overlay past 3,500 nodes raises `maxPackageBytes`.
 */
export type BodyLimit = 'small' | 'message' | 'package';
export const DEFAULT_BODY_LIMITS: Record<BodyLimit, number> = { small: 4 * 1024, message: 256 * 1024, package: 32 * 1024 * 1024 };

/** Refusals any route can give: from the server itself, before a handler runs. */
export const COMMON_REFUSALS = ['malformed', 'too_large', 'unsupported_media_type', 'not_found', 'method_not_allowed', 'timeout'] as const satisfies readonly RefusalCode[];

export interface RouteSpec {
  method: 'GET' | 'POST';
  path: `/v${typeof AGENT_API_VERSION}/${string}`;
  access: readonly Access[];
  /** A JSON body, required and checked against this schema before any handler sees it; none when absent. */
  body?: z.ZodType;
  limit?: BodyLimit;
  /**
   * The answer: JSON matching the schema, or, with `text`, a text body of that media type (an `.ovpn` profile). A stream
   * route declares its lines instead.
   */
  answer?: z.ZodType;
  /** The media type of the text answer a route gives instead of JSON when its body asks for it. */
  text?: string;
  /** A route that keeps its request open and answers as it reads: newline-delimited JSON both ways. */
  lines?: { request: z.ZodType; answer: z.ZodType };
  /** What a handler refuses with, besides COMMON_REFUSALS and those of its access (unauthenticated, unknown_peer). */
  refusals: readonly RefusalCode[];
  /** Only served by agents configured with `testing: true`. */
  testing?: true;
  /** True when repeating the request changes nothing more than doing it once: a client may retry it. */
  idempotent?: true;
  /**
   * Reads the bearer token although anyone may call: the token a login gave finds that login while it waits for the
   * lock, before it is a session.
   */
  loginToken?: true;
}

// --- bodies and answers ----------------------------------------------------------------------------------------

export const LoginRequestSchema = z.strictObject({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  /** Required at the first login with the default credentials; optional later, to change the password. */
  newPassword: z.string().min(1).max(1024).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const LOGIN_PHASES = ['waiting', 'active', 'refused', 'ended'] as const;
export const LoginPhaseSchema = z.enum(LOGIN_PHASES);
export type LoginPhase = z.infer<typeof LoginPhaseSchema>;

/** How far a login has got with the overlay-wide administrator lock (the seed's wait page). */
export const LoginProgressSchema = z.strictObject({
  loginId: LoginIdSchema,
  phase: LoginPhaseSchema,
  /** Of `expected`, how many acknowledged (a root known down since no longer counts either way). */
  acknowledged: z.int().nonnegative(),
  /** This root and every root not known to be down, pending ones included. */
  expected: z.int().nonnegative(),
  /** Roots not known to be down, pending ones included, that have not acknowledged yet. */
  waitingFor: z.array(RootIdSchema),
  reason: z.string().optional(),
});
export type LoginProgress = z.infer<typeof LoginProgressSchema>;

/** What a session token (sent as `Authorization: Bearer <token>`) is made of, and how long it may be. */
export const SESSION_TOKEN = '[A-Za-z0-9_-]{16,256}';
export const LoginAnswerSchema = z.strictObject({ session: z.string().regex(new RegExp(`^${SESSION_TOKEN}$`)), loginId: LoginIdSchema, progress: LoginProgressSchema });
export type LoginAnswer = z.infer<typeof LoginAnswerSchema>;

export const DEPLOY_STATES = ['idle', 'deploying', 'awaiting-confirm', 'deployed', 'failed', 'removed'] as const;

/**
 * A node's deploy status. `topologyId` is the deploy the status is about; `runningTopologyId` the Raincoat
 * configuration in effect now (absent: whatever the node had before Raincoat, or nothing).
 */
export const DeployStatusSchema = z.strictObject({
  state: z.enum(DEPLOY_STATES),
  topologyId: TopologyIdSchema.optional(),
  runningTopologyId: TopologyIdSchema.optional(),
  /** Epoch ms by which a `confirm_deploy` must arrive (awaiting-confirm only). */
  deadlineAt: z.number().optional(),
  reason: z.string().optional(),
  /** Epoch ms when the status was set. */
  at: z.number(),
});
export type DeployStatus = z.infer<typeof DeployStatusSchema>;

export const DeployAcceptedSchema = z.strictObject({ topologyId: TopologyIdSchema, digest: DigestSchema });

/** `remembered`: a confirmation for a deploy not seen yet, applied when its package arrives. */
export const CONFIRM_RESULTS = ['confirmed', 'already-confirmed', 'remembered', 'ignored'] as const;
export const ConfirmAnswerSchema = z.strictObject({ result: z.enum(CONFIRM_RESULTS), status: DeployStatusSchema, reason: z.string().optional() });
export type ConfirmAnswer = z.infer<typeof ConfirmAnswerSchema>;

const EnrollmentTokenSchema = z.string().min(1).max(200);
const CsrPemSchema = z.string().min(1).max(16_384);
export const EnrollRequestSchema = z.strictObject({
  token: EnrollmentTokenSchema,
  csr: CsrPemSchema,
  /** `ovpn`: answer with the profile alone as text, for a first-boot script without a JSON parser. */
  format: z.enum(['json', 'ovpn']).default('json'),
});
export const EnrolledSchema = z.strictObject({ name: z.string(), node: z.string(), certificate: z.string(), profile: z.string() });
export const PeerEnrollRequestSchema = z.strictObject({ token: EnrollmentTokenSchema, csr: CsrPemSchema });
export const SignedClientSchema = z.strictObject({ name: z.string(), certificate: z.string() });

/** An enrollment token may be used this many times at most, and live this long at most. */
export const MAX_TOKEN_USES = 10_000;
export const MAX_TOKEN_TTL_MS = 90 * 24 * 3_600_000;
export const CreateTokenRequestSchema = z.strictObject({
  uses: z.int().min(1).max(MAX_TOKEN_USES),
  ttlMs: z.int().min(60_000).max(MAX_TOKEN_TTL_MS),
  label: z.string().max(100).optional(),
  /** Another root's token: this root, where the administrator is logged in, grants it there through the overlay. */
  rootId: RootIdSchema.optional(),
});
export const RevokeTokenRequestSchema = z.strictObject({ id: EnrollmentTokenIdSchema, rootId: RootIdSchema.optional() });
/** The token itself is shown once, at creation; the root keeps only its hash. */
export const CreatedTokenSchema = TokenInfoSchema.extend({ token: z.string() });

/**
 * One line of a flood stream's request: `n` numbers it for its acknowledgement; the message (a FloodMessage, checked by
 * the router after its origin's certificate) travels with that certificate, so a node can check the signature of an
 * origin it has never talked to (checked against the control CA once per certificate, before the message is).
 */
export const FloodLineSchema = z.strictObject({
  n: z.int().nonnegative(),
  message: z.unknown(),
  certificate: z.string().min(1).max(8192),
});

/** One acknowledgement on a flood stream: `n` is the line's number on the stream (null when it could not be read). */
export const FloodAckSchema = z.strictObject({ n: z.int().nonnegative().nullable(), status: z.int(), error: z.string().optional(), reason: z.string().optional() });
export type FloodAck = z.infer<typeof FloodAckSchema>;

// --- the routes --------------------------------------------------------------------------------------------------

export const agentApi = {
  /** Neighbours' flood stream: signed messages in, one acknowledgement per line out (seed §7). */
  flood: { method: 'POST', path: '/v1/flood', access: ['neighbour'], lines: { request: FloodLineSchema, answer: FloodAckSchema }, refusals: ['forbidden', 'bad_signature', 'unknown_origin', 'duplicate', 'too_old', 'from_future', 'rate_limited', 'unknown_peer'] },
  /** A node's view of every node's status. */
  status: { method: 'GET', path: '/v1/status', access: ['node', 'session'], answer: StatusSnapshotSchema, refusals: [], idempotent: true },
  /** Begins an administrator session: checks the credentials and starts the overlay-wide lock. */
  login: { method: 'POST', path: '/v1/login', access: ['public'], body: LoginRequestSchema, answer: LoginAnswerSchema, refusals: ['rate_limited', 'conflict', 'unavailable', 'unauthenticated', 'forbidden'] },
  /** The lock's progress for the login the bearer token began, until every live root acknowledged (or one refused). */
  loginProgress: { method: 'GET', path: '/v1/login/progress', access: ['public'], loginToken: true, answer: LoginProgressSchema, refusals: ['unauthenticated', 'not_found'], idempotent: true },
  /** Ends the session and floods that the lock is free. */
  logout: { method: 'POST', path: '/v1/logout', access: ['session'], answer: z.strictObject({ loggedOut: z.literal(true) }), refusals: [] },
  /** A deploy package, at its entry root: stored, flooded as `deploy`, applied. */
  deploy: { method: 'POST', path: '/v1/deploy', access: ['session'], body: DeployPackageSchema, limit: 'package', answer: DeployAcceptedSchema, refusals: ['forbidden', 'conflict', 'not_found'] },
  /** Neighbours fetch the package a `deploy` announced. */
  getDeploy: { method: 'POST', path: '/v1/get-deploy', access: ['neighbour'], body: GetDeployRequestSchema, limit: 'small', answer: DeployPackageSchema, refusals: ['not_found', 'unavailable'], idempotent: true },
  /** Confirms a deploy overlay-wide, before its deadline reverts it. */
  confirmDeploy: { method: 'POST', path: '/v1/confirm-deploy', access: ['session'], body: ConfirmDeployBodySchema, answer: ConfirmAnswerSchema, refusals: [], idempotent: true },
  /** A client VM's CSR in, its certificate and a ready `.ovpn` out (or the `.ovpn` alone as text, `format: "ovpn"`). */
  enroll: { method: 'POST', path: '/v1/enroll', access: ['enrollment'], body: EnrollRequestSchema, answer: EnrolledSchema, text: 'application/x-openvpn-profile', refusals: ['rate_limited', 'forbidden', 'conflict', 'unavailable'] },
  /** A leaf passes a client's enrollment to its root, which alone holds the cloud's OpenVPN CA. */
  peerEnroll: { method: 'POST', path: '/v1/peer/enroll', access: ['neighbour'], body: PeerEnrollRequestSchema, answer: SignedClientSchema, refusals: ['forbidden', 'conflict'] },
  /** A token for this root's client VMs; with another root's id, granted there (answered once that root took it). */
  createEnrollmentToken: { method: 'POST', path: '/v1/enroll-tokens', access: ['session'], body: CreateTokenRequestSchema, answer: CreatedTokenSchema, refusals: ['forbidden', 'unavailable'] },
  listEnrollmentTokens: { method: 'GET', path: '/v1/enroll-tokens', access: ['session'], answer: z.strictObject({ tokens: z.array(TokenInfoSchema) }), refusals: [], idempotent: true },
  revokeEnrollmentToken: { method: 'POST', path: '/v1/enroll-tokens/revoke', access: ['session'], body: RevokeTokenRequestSchema, answer: z.strictObject({ revoked: EnrollmentTokenIdSchema }), refusals: ['not_found', 'forbidden', 'unavailable'], idempotent: true },
  /** Records what only the application knows (a deploy's plan and outcome, a rotation, a revocation) in the audit trail. */
  recordAudit: { method: 'POST', path: '/v1/audit', access: ['session'], body: AuditNoteSchema, answer: RecordedAuditSchema, refusals: [] },
  /** The audit trail as this root keeps it for the whole overlay: entries since a time, newest last. */
  readAudit: { method: 'POST', path: '/v1/audit/read', access: ['session'], body: ReadAuditRequestSchema, limit: 'small', answer: AuditAnswerSchema, refusals: [], idempotent: true },
  /** The administrator's state after a confirmed deploy, at the entry root: stamped, kept, flooded as `admin_state` for every root to fetch. */
  putAdminState: { method: 'POST', path: '/v1/admin-state', access: ['session'], body: AdminStateSchema, limit: 'package', answer: PutAdminStateAnswerSchema, refusals: [], idempotent: true },
  /** A page of the administrator's state this root keeps (any root: a new workstation logs in where it can). */
  readAdminState: { method: 'POST', path: '/v1/admin-state/read', access: ['session'], body: ReadAdminStateRequestSchema, limit: 'small', answer: AdminStatePageSchema, refusals: ['not_found', 'conflict'], idempotent: true },
  /** Which state a neighbour keeps: asked by a root that may have missed an `admin_state` (it was down, or cut off). */
  adminStateHead: { method: 'GET', path: '/v1/admin-state/head', access: ['neighbour'], answer: AdminStateHeadAnswerSchema, refusals: [], idempotent: true },
  /** Neighbours fetch the state an `admin_state` announced, or a newer head showed. */
  getAdminState: { method: 'POST', path: '/v1/admin-state/get', access: ['neighbour'], body: GetAdminStateRequestSchema, limit: 'small', answer: KeptAdminStateSchema, refusals: ['not_found', 'unavailable'], idempotent: true },
  /** Originates a flood on demand: tests and the flood benchmark. */
  testOriginate: { method: 'POST', path: '/v1/test/originate', access: ['node'], body: z.strictObject({ type: z.enum(MESSAGE_TYPES), body: z.unknown() }), answer: z.strictObject({ id: z.string() }), refusals: [], testing: true },
  /** When each message was handled, the router's and sender's counters, refusals and memory. */
  testMetrics: { method: 'GET', path: '/v1/test/metrics', access: ['node'], answer: z.looseObject({ handled: z.record(z.string(), z.number()) }), refusals: [], testing: true, idempotent: true },
} as const satisfies Record<string, RouteSpec>;

export type AgentApi = typeof agentApi;
export type RouteName = keyof AgentApi;
/** The body a caller sends (before defaults are filled in). */
export type BodyIn<K extends RouteName> = AgentApi[K] extends { body: z.ZodType } ? z.input<AgentApi[K]['body']> : undefined;
/** The body a handler receives, once parsed. */
export type BodyOf<K extends RouteName> = AgentApi[K] extends { body: z.ZodType } ? z.output<AgentApi[K]['body']> : undefined;
export type AnswerOf<K extends RouteName> = AgentApi[K] extends { answer: z.ZodType } ? z.output<AgentApi[K]['answer']> : never;

/** The callers that are not nodes: the application (with a session token or none) and client VMs. */
const APPLICATION_ACCESS = ['session', 'public', 'enrollment'] as const satisfies readonly Access[];
type ApplicationAccess = (typeof APPLICATION_ACCESS)[number];

/** The routes an application calls with a session token or none (not neighbours' or tests' routes). */
export type ApplicationRoute = {
  [K in RouteName]: AgentApi[K] extends { testing: true } ? never : Extract<AgentApi[K]['access'][number], ApplicationAccess> extends never ? never : K;
}[RouteName];
export const APPLICATION_ROUTES = (Object.keys(agentApi) as RouteName[]).filter((name): name is ApplicationRoute => {
  const spec: RouteSpec = agentApi[name];
  return !spec.testing && spec.access.some((a) => (APPLICATION_ACCESS as readonly Access[]).includes(a));
});

/** Every refusal a route can answer with: its own, the server's, and those its access checks give. */
export function refusalsOf(name: RouteName): RefusalCode[] {
  const spec: RouteSpec = agentApi[name];
  const access: RefusalCode[] = spec.access.some((a) => a !== 'public' && a !== 'enrollment') ? ['unauthenticated'] : [];
  if (spec.access.includes('neighbour') || spec.access.includes('node')) access.push('unknown_peer');
  return [...new Set<RefusalCode>([...COMMON_REFUSALS, ...access, ...spec.refusals])];
}
