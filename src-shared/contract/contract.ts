// The renderer↔main contract: the one declaration of every call and event that both transports (IPC, loopback WebSocket) carry.
import { z } from 'zod';
import { RootSchema, TunnelSchema } from '../topology/schemas.ts';
import { overlayCalls, overlayEvents } from './overlayContract.ts';
import { auditCalls } from './auditContract.ts';

/** Every IPC channel is named `raincoat:<call or event>`; the preload refuses any other name. */
export const CHANNEL_PREFIX = 'raincoat:';

/** One thing wrong with a topology, as `validateTopology` reports it (`path` like `roots[2].overlay`). */
export const ProblemSchema = z.object({ path: z.string(), message: z.string() });

/** A topology that passed validation: `tunnels` always present. */
export const ValidTopologySchema = z.object({ roots: z.array(RootSchema), tunnels: z.array(TunnelSchema) });

const LeafPlanSchema = z.object({
  rootId: z.number(),
  index: z.number(),
  nodeName: z.string(),
  clientSubnet: z.string(),
  clientServerAddress: z.string(),
  maxClients: z.number(),
  uplinkAddress: z.string(),
});

const TunnelPlanSchema = z.object({ a: z.number(), b: z.number(), name: z.string() });

/** `AddressPlan` from `src-shared/plan/planAddresses.ts`, as data on the wire (the type test pins the two together). */
export const AddressPlanSchema = z.object({
  roots: z.array(
    z.object({
      rootId: z.number(),
      name: z.string(),
      nodeName: z.string(),
      overlay: z.string(),
      internetAddress: z.string(),
      natted: z.boolean(),
      maxClients: z.number(),
      uplinkSubnet: z.string(),
      uplinkServerAddress: z.string(),
      leaves: z.array(LeafPlanSchema),
    }),
  ),
  tunnels: z.array(TunnelPlanSchema),
  summary: z.object({ roots: z.number(), tunnels: z.number(), leaves: z.number(), clientCapacity: z.number() }),
});

const FieldChangeSchema = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

/** `TopologyDiff` from `src-shared/diff/diffTopologies.ts`. */
export const TopologyDiffSchema = z.object({
  roots: z.object({
    added: z.array(RootSchema),
    removed: z.array(RootSchema),
    changed: z.array(z.object({ id: z.number(), name: z.string(), changes: z.array(FieldChangeSchema) })),
  }),
  tunnels: z.object({ added: z.array(TunnelPlanSchema), removed: z.array(TunnelPlanSchema) }),
  leaves: z.object({
    added: z.array(LeafPlanSchema),
    removed: z.array(LeafPlanSchema),
    changed: z.array(z.object({ nodeName: z.string(), changes: z.array(FieldChangeSchema) })),
  }),
  empty: z.boolean(),
});

/**
 * Why the stored pending topology could not be used when the store opened: the file was kept aside at
 * `keptAs` and the store started empty. `problems` lists what validation found, when the file was JSON.
 */
export const RecoverySchema = z.object({ keptAs: z.string(), reason: z.string(), problems: z.array(ProblemSchema) });

/**
 * What the editor shows: the pending topology (always valid, since invalid saves are refused), its
 * address plan, and whether there is a change to undo.
 *
 * @remarks `revision` grows by one with every stored change while the process runs, so a client that
 * gets the same state both as a call's answer and as an event keeps the newer one.
 */
export const TopologyStateSchema = z.object({
  topology: ValidTopologySchema,
  plan: AddressPlanSchema,
  revision: z.number().int().nonnegative(),
  canUndo: z.boolean(),
  /** The file the pending topology is stored in. */
  storedIn: z.string(),
  recovery: RecoverySchema.nullable(),
});

/**
 * A change that was not made: `reason` is one line for a banner, `problems` the validation problems
 * (empty when the reason is not about the topology's content, such as an unreadable file).
 */
const RefusedSchema = z.object({ ok: z.literal(false), reason: z.string(), problems: z.array(ProblemSchema) });
const ChangedSchema = z.object({ ok: z.literal(true), state: TopologyStateSchema });
export const ChangeResultSchema = z.discriminatedUnion('ok', [ChangedSchema, RefusedSchema]);

/** Every call: its input schema (checked by main on every transport) and its output schema. */
export const calls = {
  /** The pending topology with its plan. */
  'topology.get': { input: z.void(), output: TopologyStateSchema },
  /**
   * Replaces the pending topology. `topology` is any value: validation answers bad content with
   * problems (`ok: false`) and then nothing stored changes.
   */
  'topology.save': { input: z.object({ topology: z.unknown() }), output: ChangeResultSchema },
  /** Loads a topology file on the main side's machine and makes it the pending topology (undoable). */
  'topology.open': { input: z.object({ path: z.string().min(1) }), output: ChangeResultSchema },
  /** Takes back the last stored change; `undone` is false when there was none. */
  'topology.undo': { input: z.void(), output: z.object({ undone: z.boolean(), state: TopologyStateSchema }) },
  /**
   * What a deploy would change: pending against the deployed copy, or against an empty overlay when
   * nothing was deployed yet (`deployed: false`).
   */
  'topology.diff': { input: z.void(), output: z.object({ deployed: z.boolean(), diff: TopologyDiffSchema }) },
  ...overlayCalls,
  ...auditCalls,
} as const;

/** Every event main sends without being asked: its payload schema. */
export const events = {
  /** The pending topology changed (from any window or transport). */
  'topology.didChange': TopologyStateSchema,
  ...overlayEvents,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof events;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type Problem = z.output<typeof ProblemSchema>;
export type TopologyState = z.output<typeof TopologyStateSchema>;
export type ChangeResult = z.output<typeof ChangeResultSchema>;

/** The typed surface a renderer uses: one method per call. */
export type Api = { [K in CallName]: (input: CallInput<K>) => Promise<CallOutput<K>> };

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
