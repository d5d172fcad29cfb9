// The sandbox overlay's folder and control channel, declared once for the `raincoat sandbox` command that drives it and
// the agent bundle's `sandbox-host`, which runs every node's agent in one process and answers on the channel.
import { z } from 'zod';
import { NodeNameSchema } from '../plan/nodeNames.ts';
import { StatusSnapshotSchema } from '../protocol/messages.ts';
import { REFUSAL_CODES } from '../protocol/refusals.ts';
import type { Topology } from '../topology/schemas.ts';
import { validateTopology } from '../topology/validate.ts';

/** What the sandbox writes in its folder, by name: `down` removes these and nothing else the folder holds. */
export const SANDBOX_FILES = {
  /** What `up` asked for (SandboxSpec). */
  spec: 'sandbox.json',
  /** The running host: its pid and the control channel's port and token (HostFile; mode 0600). */
  host: 'host.json',
  /** One folder per node: its identity, state and dry-run backend's files. */
  nodes: 'nodes',
  /** One bounded log per node, and the host's own. */
  logs: 'logs',
  /** How the application and the command line reach the sandbox (src-shared/overlay/overlayAccess.ts). */
  access: 'overlay-access.json',
  /** The administrator's password, kept for the command line (mode 0600). */
  password: 'admin-password',
  /** The passphrase the overlay's keys are sealed under, kept for the application and the command line (mode 0600). */
  passphrase: 'keys-passphrase',
} as const;

export const SandboxSpecSchema = z.strictObject({
  version: z.literal(1),
  topology: z.custom<Topology>((value) => validateTopology(value).ok, 'expected a valid topology'),
  /** The root the application logs in at; the host asks it first for the overlay's status. */
  entry: NodeNameSchema,
  heartbeatIntervalMs: z.int().min(100).max(3_600_000),
});
export type SandboxSpec = z.infer<typeof SandboxSpecSchema>;

export const HostFileSchema = z.strictObject({
  pid: z.int().positive(),
  /** The control channel: HTTP on 127.0.0.1 at this port, every request with `Authorization: Bearer <token>`. */
  port: z.int().min(1).max(65535),
  token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
});
export type HostFile = z.infer<typeof HostFileSchema>;

/** `enrolling`: waiting for the nodes' certificates; `starting`: agents starting; `running`; `stopping`: going down. */
const HOST_PHASES = ['enrolling', 'starting', 'running', 'stopping'] as const;
const PROCESS_STATES = ['starting', 'up', 'stopping', 'stopped', 'failed'] as const;
export type ProcessState = (typeof PROCESS_STATES)[number];

export const HostNodeSchema = z.strictObject({
  node: NodeNameSchema,
  /** Its agent's port on 127.0.0.1 once it listened (kept while it is stopped, for it to come back at). */
  port: z.int().min(1).max(65535).nullable(),
  process: z.enum(PROCESS_STATES),
  /** Why it failed to start or stop. */
  reason: z.string().optional(),
});
export type HostNode = z.infer<typeof HostNodeSchema>;

export const HostNodesSchema = z.strictObject({ phase: z.enum(HOST_PHASES), nodes: z.array(HostNodeSchema) });
export type HostNodes = z.infer<typeof HostNodesSchema>;

const PemSchema = z.string().min(1).max(16_384);

/** The overlay's status as one running root's agent reports it, or why none could say. */
export const HostViewSchema = z.union([
  z.strictObject({ ok: z.literal(true), snapshot: StatusSnapshotSchema }),
  z.strictObject({ ok: z.literal(false), reason: z.string() }),
]);
export type HostView = z.infer<typeof HostViewSchema>;

const NodeRequestSchema = z.strictObject({ node: NodeNameSchema });

/** A refusal: a 4xx with this body, as the agent refuses (a code of src-shared/protocol/refusals.ts); `internal` with a 500. */
export const ControlRefusalSchema = z.strictObject({ error: z.union([z.enum(REFUSAL_CODES), z.literal('internal')]), reason: z.string() });

/**
 * The control channel's routes. Enrolling takes two calls so that the nodes' keys are made where they are kept (the
 * host) and the control CA's key stays with the command: the host makes each node's key and request, the command
 * signs them, the host installs the certificates and starts the agents.
 */
export const sandboxControlApi = {
  nodes: { method: 'GET', path: '/v1/nodes', answer: HostNodesSchema },
  csrs: { method: 'GET', path: '/v1/csrs', answer: z.strictObject({ csrs: z.record(NodeNameSchema, PemSchema) }) },
  enroll: {
    method: 'POST',
    path: '/v1/enroll',
    body: z.strictObject({ controlCaPem: PemSchema, certs: z.record(NodeNameSchema, PemSchema) }),
    answer: HostNodesSchema,
  },
  view: { method: 'GET', path: '/v1/view', answer: HostViewSchema },
  stop: { method: 'POST', path: '/v1/stop', body: NodeRequestSchema, answer: HostNodeSchema },
  start: { method: 'POST', path: '/v1/start', body: NodeRequestSchema, answer: HostNodeSchema },
  down: { method: 'POST', path: '/v1/down', answer: z.strictObject({ stopping: z.literal(true) }) },
} as const satisfies Record<string, { method: 'GET' | 'POST'; path: string; body?: z.ZodType; answer: z.ZodType }>;

export type ControlRoute = keyof typeof sandboxControlApi;
type Spec<K extends ControlRoute> = (typeof sandboxControlApi)[K];
export type ControlBody<K extends ControlRoute> = Spec<K> extends { body: z.ZodType } ? z.infer<Spec<K>['body']> : undefined;
export type ControlAnswer<K extends ControlRoute> = z.infer<Spec<K>['answer']>;
