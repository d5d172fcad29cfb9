// The renderer↔main contract: the one declaration of every call and event that both transports (IPC, loopback WebSocket) carry.
import { z } from 'zod';
import { PositionSchema, RootIdSchema, RootSchema, TunnelSchema } from '../topology/schemas.ts';
import { overlayCalls, overlayEvents } from './overlayContract.ts';
import { auditCalls } from './auditContract.ts';
import { reachabilityCalls } from '../routing/reachabilityContract.ts';
import { clientMachinesCalls } from './clientMachinesContract.ts';

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
 * What the pending topology changes against the deployed one, by root id and tunnel ends (the lower id
 * first), so the editor can mark each: until the first deploy (`deployed: false`) everything pending is
 * added. Deleted roots and tunnels are gone from the pending topology but still run on the overlay (soft
 * delete, seed §9.2): they come whole, as deployed, to be drawn struck through until the deploy removes them.
 *
 * @remarks `changed` roots differ in what a deploy acts on; `moved` ones only in their place on the canvas.
 * `count` is the number of entries in all the lists, what "cancel all changes" would drop.
 */
export const PendingChangesSchema = z.object({
  deployed: z.boolean(),
  roots: z.object({ added: z.array(RootIdSchema), changed: z.array(RootIdSchema), moved: z.array(RootIdSchema), deleted: z.array(RootSchema) }),
  tunnels: z.object({ added: z.array(TunnelSchema), deleted: z.array(TunnelSchema) }),
  count: z.number().int().nonnegative(),
});

/**
 * What the editor shows: the pending topology (always valid, since invalid saves are refused), its
 * address plan, what it changes against the deployed topology, and whether there is a change to undo or redo.
 *
 * @remarks `revision` grows by one with every stored change while the process runs, so a client that
 * gets the same state both as a call's answer and as an event keeps the newer one.
 */
export const TopologyStateSchema = z.object({
  topology: ValidTopologySchema,
  plan: AddressPlanSchema,
  changes: PendingChangesSchema,
  revision: z.number().int().nonnegative(),
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  /** The file the pending topology is stored in. */
  storedIn: z.string(),
  recovery: RecoverySchema.nullable(),
});

/**
 * One edit of the pending topology, made by main on the topology it holds, so that two windows never
 * overwrite each other's edits with a stale copy. Roots are named by id, tunnels by their two ends (either
 * order). A command on something that is not there, or whose result breaks a rule of the shared validation,
 * is refused in words that name what it is about, and nothing stored changes.
 */
export const TopologyCommandSchema = z.discriminatedUnion('kind', [
  /** `root` is any value, as the form holds it: validation says what is wrong with it. */
  z.object({ kind: z.literal('addRoot'), root: z.unknown() }),
  /** Stored rounded to whole pixels. */
  z.object({ kind: z.literal('moveRoot'), id: RootIdSchema, position: PositionSchema }),
  /** The fields in `changes` replace the root's, the others stay; the id cannot change. */
  z.object({ kind: z.literal('editRoot'), id: RootIdSchema, changes: z.record(z.string(), z.unknown()) }),
  /** Its tunnels go with it. */
  z.object({ kind: z.literal('deleteRoot'), id: RootIdSchema }),
  z.object({ kind: z.literal('addTunnel'), a: RootIdSchema, b: RootIdSchema }),
  z.object({ kind: z.literal('deleteTunnel'), a: RootIdSchema, b: RootIdSchema }),
]);

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
  /** Makes one edit of the pending topology (undoable); a refusal says why in plain words. */
  'topology.command': { input: TopologyCommandSchema, output: ChangeResultSchema },
  /** Loads a topology file on the main side's machine and makes it the pending topology (undoable). */
  'topology.open': { input: z.object({ path: z.string().min(1) }), output: ChangeResultSchema },
  /** Takes back the last stored change; `undone` is false when there was none. */
  'topology.undo': { input: z.void(), output: z.object({ undone: z.boolean(), state: TopologyStateSchema }) },
  /** Makes again the last change undone; `redone` is false when there was none (a new change clears what redo had). */
  'topology.redo': { input: z.void(), output: z.object({ redone: z.boolean(), state: TopologyStateSchema }) },
  /**
   * Makes the deployed topology the pending one again, dropping every pending change in one change that
   * undo takes back. Refused when nothing is deployed yet or nothing is pending.
   */
  'topology.cancelChanges': { input: z.void(), output: ChangeResultSchema },
  /**
   * What a deploy would change: pending against the deployed copy, or against an empty overlay when
   * nothing was deployed yet (`deployed: false`).
   */
  'topology.diff': { input: z.void(), output: z.object({ deployed: z.boolean(), diff: TopologyDiffSchema }) },
  /**
   * Shows main's open-file dialog for a topology file: the path chosen (then opened with `topology.open`), or null
   * when cancelled. Only a window with the platform's dialogs (Electron) calls it; a browser picks the file itself and
   * sends its content to `topology.save`.
   */
  'topologyFile.choose': { input: z.void(), output: z.object({ path: z.string().nullable() }) },
  /**
   * Writes the pending topology as the plain JSON file `raincoat validate` reads, where main's save dialog lets the
   * administrator choose; `savedTo` is null when cancelled. As `topologyFile.choose`, for windows with dialogs only: a
   * browser downloads the topology it holds.
   */
  'topologyFile.export': { input: z.void(), output: z.object({ savedTo: z.string().nullable() }) },
  ...overlayCalls,
  ...auditCalls,
  ...reachabilityCalls,
  ...clientMachinesCalls,
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
export type PendingChanges = z.output<typeof PendingChangesSchema>;
export type TopologyCommand = z.output<typeof TopologyCommandSchema>;

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
