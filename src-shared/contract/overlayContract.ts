// The contract's overlay calls and events: the session with the administrator lock, every node's status, and a deploy's plan and progress.
import { z } from 'zod';
import { NodeStateSchema } from '../protocol/messages.ts';

/** One node as the entry root sees it (`raincoat status --json` prints the same rows). */
export const NodeStatusRowSchema = z.object({
  /** A root's id, or a leaf's `<root id>-<n>`. */
  id: z.union([z.number(), z.string()]),
  kind: z.enum(['root', 'leaf']),
  name: z.string(),
  status: NodeStateSchema,
  /** Epoch ms on the entry root's clock; null when never heard. */
  lastHeartbeat: z.number().nullable(),
  topologyId: z.string().nullable(),
  reason: z.string().optional(),
  /** OpenVPN clients connected now, where the node's backend can tell. */
  clientsConnected: z.number().optional(),
  /** A root's IPsec tunnels by peer root id, where its backend can tell. */
  tunnels: z.array(z.object({ peer: z.number(), state: z.enum(['up', 'down', 'connecting']) })).optional(),
});
export type NodeStatusRowView = z.output<typeof NodeStatusRowSchema>;

/** Who holds the administrator lock when a login is refused for it. */
export const LockHolderSchema = z.object({ user: z.string().optional(), root: z.string(), established: z.boolean() });

export const LoginRefusalSchema = z.object({
  code: z.enum(['new-password-required', 'weak-password', 'bad-credentials', 'rate-limited', 'locked', 'unavailable', 'unreachable', 'refused', 'no-overlay']),
  /** One line for the login view, in the entry root's words or ours; never a password. */
  message: z.string(),
  holder: LockHolderSchema.optional(),
});
export type LoginRefusal = z.output<typeof LoginRefusalSchema>;

/** The overlay the application works on. */
export const OverlayInfoSchema = z.object({
  name: z.string(),
  entry: z.string(),
  /** The entry root's agent, `https://host:port`. */
  entryUrl: z.string(),
  /** True for the one `raincoat sandbox up` made (its administrator's password is kept for the application). */
  sandbox: z.boolean(),
  /**
   * The sandbox's administrator: its password `kept` in the sandbox's folder (shown when it was brought up), or still
   * Raincoat's `built-in` one, which the first login replaces (a sandbox brought up without an administrator).
   */
  sandboxAdministrator: z.enum(['kept', 'built-in']).optional(),
  nodes: z.number().int().nonnegative(),
});

/**
 * - `out`: no session; `refusal` is why the last login failed, `ended` why the last session ended;
 * - `logging-in`: credentials accepted, the lock being acknowledged root by root (the seed's wait page);
 * - `in`: established; `expiring` once the session is within its warning time of ending for lack of activity.
 */
export const SessionViewSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('out'), refusal: LoginRefusalSchema.nullable(), ended: z.string().nullable() }),
  z.object({
    phase: z.literal('logging-in'),
    user: z.string(),
    entry: z.string(),
    acknowledged: z.number().int().nonnegative(),
    expected: z.number().int().nonnegative(),
    /** Roots heard to acknowledge, in the order they did. */
    acknowledgedBy: z.array(z.string()),
    /** Roots the lock still waits for. */
    waitingFor: z.array(z.string()),
  }),
  z.object({ phase: z.literal('in'), user: z.string(), entry: z.string(), expiresAt: z.number(), expiring: z.boolean() }),
]);
export type SessionView = z.output<typeof SessionViewSchema>;

const FileChangeSchema = z.object({ path: z.string(), change: z.enum(['added', 'changed', 'removed']), diff: z.array(z.string()) });

/** `DeployPlan` from `src-main/core/deployRun/deployPlan.ts` (the type test pins the two together). */
export const DeployPlanSchema = z.object({
  nodes: z.array(
    z.object({
      node: z.string(),
      change: z.enum(['added', 'changed', 'unchanged', 'removed']),
      backend: z.enum(['vyos', 'linux', 'dry-run']),
      files: z.array(FileChangeSchema),
      commands: z.array(z.string()).optional(),
    }),
  ),
  removedTunnels: z.array(z.object({ a: z.number(), b: z.number(), name: z.string() })),
  keys: z.array(z.string()),
});
export type DeployPlanView = z.output<typeof DeployPlanSchema>;

const DeployNodeViewSchema = z.object({
  node: z.string(),
  /** `waiting` until the node reports; `unchanged` nodes are not asked to apply anything. */
  state: z.enum(['waiting', 'applied', 'failed', 'unreachable', 'unchanged', 'removed']),
  reason: z.string().optional(),
});

/**
 * A deploy as the application follows it:
 * - `preparing`: validating, rendering, planning (nothing sent);
 * - `planned`: the plan waits for `deploy.approve` or `deploy.decline`;
 * - `following`: posted to the entry root; nodes report one by one;
 * - `done`: `outcome` says how it ended. Editing is blocked from `preparing` until `done`.
 */
export const DeployViewSchema = z.object({
  phase: z.enum(['preparing', 'planned', 'following', 'done']),
  topologyId: z.string().nullable(),
  plan: DeployPlanSchema.nullable(),
  nodes: z.array(DeployNodeViewSchema),
  notices: z.array(z.string()),
  /** Epoch ms: when it started. */
  startedAt: z.number(),
  outcome: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('refused'), problems: z.array(z.string()) }),
      z.object({ kind: z.literal('declined') }),
      z.object({ kind: z.literal('not-posted'), reason: z.string() }),
      z.object({ kind: z.literal('failed'), reason: z.string() }),
      z.object({
        kind: z.literal('followed'),
        applied: z.number().int().nonnegative(),
        failed: z.number().int().nonnegative(),
        unreachable: z.number().int().nonnegative(),
        confirmed: z.boolean(),
        notConfirmed: z.string().optional(),
      }),
    ])
    .nullable(),
});
export type DeployView = z.output<typeof DeployViewSchema>;

/** Everything the application shows about the overlay, sent whole on every change (it is small: a row per node). */
export const OverlayStateSchema = z.object({
  overlay: OverlayInfoSchema.nullable(),
  session: SessionViewSchema,
  /** The last status read at the entry root while logged in; null before the first. */
  status: z.object({ nodes: z.array(NodeStatusRowSchema), readAt: z.number(), problem: z.string().nullable() }).nullable(),
  deploy: DeployViewSchema.nullable(),
  /**
   * The overlay's kept keys (null with no overlay): `none` before the first deploy and `plain` for an older plain file
   * (a new passphrase is needed: ask twice), `locked` (their passphrase is needed), `open` (nothing to ask).
   */
  keys: z.enum(['none', 'plain', 'locked', 'open']).nullable(),
  /** Grows with every change, so a client keeps the newer of an answer and an event. */
  revision: z.number().int().nonnegative(),
});
export type OverlayState = z.output<typeof OverlayStateSchema>;

/** A call done (`message`: what it did, when there is more to say than yes), or why not. */
const DoneSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), message: z.string().optional() }), z.object({ ok: z.literal(false), reason: z.string() })]);
export type Done = z.output<typeof DoneSchema>;

export const overlayCalls = {
  /** The overlay, the session, the last status and the deploy in progress or last done. */
  'overlay.get': { input: z.void(), output: OverlayStateSchema },
  /**
   * Logs in at the entry root and waits until every live root acknowledged the lock (progress arrives as
   * `overlay.didChange`). `newPassword` is required at the first login with the default credentials.
   */
  'session.login': {
    input: z.object({ user: z.string().min(1).max(64), password: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024).optional() }),
    output: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), refusal: LoginRefusalSchema })]),
  },
  /** The administrator is still there: the session's idle time starts again. */
  'session.keepAlive': { input: z.void(), output: DoneSchema },
  'session.logout': { input: z.void(), output: DoneSchema },
  /** Starts a deploy of the pending topology; its plan then waits for approval. */
  'deploy.start': { input: z.void(), output: DoneSchema },
  /** Approves the plan shown for `topologyId`: the package is posted and followed. */
  'deploy.approve': { input: z.object({ topologyId: z.string() }), output: DoneSchema },
  /** Declines the plan shown: nothing is sent, editing unblocks. */
  'deploy.decline': { input: z.object({ topologyId: z.string() }), output: DoneSchema },
  /** Opens the overlay's kept keys for the run with their passphrase (or, with none kept yet, makes it theirs). */
  'keys.unlock': { input: z.object({ passphrase: z.string().min(1).max(1024) }), output: DoneSchema },
  /** Marks tunnel a–b's pre-shared key for rotation: the next deploy's plan makes a new one for its two roots. */
  'keys.rotatePsk': { input: z.object({ a: z.int().positive(), b: z.int().positive() }), output: DoneSchema },
  /** Revokes a leaf's certificate (`leaf-1-2`): the next deploy carries the new revocation list to every server that trusts it. */
  'keys.revoke': { input: z.object({ name: z.string().min(1).max(64) }), output: DoneSchema },
} as const;

export const overlayEvents = {
  /** The session, the status or the deploy changed; a client that subscribes gets the current state first. */
  'overlay.didChange': OverlayStateSchema,
} as const;
