// The pending topology (and the last deployed one) kept in one JSON file: atomic changes by command, refused invalid input, undo and redo, change events.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { keepAside, readTextIfExists, removeStaleTemporaries, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import type { TopologyCommand } from '../../../src-shared/contract/contract.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import type { Problem } from '../../../src-shared/validation/zodProblems.ts';
import type { StoredState } from './storedState.ts';
import { EMPTY_TOPOLOGY, parseState, serializeState } from './storedState.ts';
import type { Made, Refused } from './topologyCommands.ts';
import { applyCommand, cancelChanges, validated } from './topologyCommands.ts';
import { createSerialQueue } from '../../../src-shared/async/serialQueue.ts';

/** A stored file that could not be used when the store opened: where it was kept and why. */
export interface Recovery {
  keptAs: string;
  reason: string;
  problems: Problem[];
}

/** `changed` is false when the change asked for was already there: nothing was written and there is nothing new to undo. */
export type ChangeOutcome = { ok: true; changed: boolean } | Refused;

export interface TopologyStore {
  readonly file: string;
  /** Set when the file found at opening was corrupt; the store then started empty. */
  readonly recovery: Recovery | null;
  pending(): Topology;
  deployed(): Topology | null;
  /** Grows by one with every stored change during this process's life. */
  revision(): number;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Validates `input` as the whole pending topology; an invalid one is refused with its problems and changes nothing. */
  save(input: unknown): Promise<ChangeOutcome>;
  /** Makes one edit (`applyCommand`); a refused one changes nothing. */
  apply(command: TopologyCommand): Promise<ChangeOutcome>;
  /** Makes the deployed topology the pending one again, as one change undo takes back (`cancelChanges`). */
  cancelChanges(): Promise<ChangeOutcome>;
  /** Restores the pending topology before the last change; false when there is nothing to undo. */
  undo(): Promise<boolean>;
  /** Makes again the last change undone; false when there is none, as after any new change. */
  redo(): Promise<boolean>;
  /** Records what a deploy put on the nodes (the diff's "before"); not an undoable edit. */
  markDeployed(topology: Topology): Promise<void>;
  onDidChange(listener: () => void): () => void;
}

export interface TopologyStoreOptions {
  file: string;
  now?: () => Date;
  /** How many earlier pending topologies undo can go back through; they are shared, unchanged objects, so this is cheap. */
  undoLimit?: number;
  /** Injected for tests of a failing disk. */
  write?: (file: string, text: string) => Promise<void>;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

export async function openTopologyStore(options: TopologyStoreOptions): Promise<TopologyStore> {
  const { file, now = () => new Date(), undoLimit = 100, write = writeFileAtomic } = options;
  await mkdir(dirname(file), { recursive: true });
  await removeStaleTemporaries(file);
  const loaded = await load(file, now);

  let state: StoredState = loaded.state;
  let revision = 0;
  // Earlier pending topologies, the last one on top; `redoable` is filled by undo and emptied by any new change.
  // Undo and redo only move entries between the two, so together they never hold more than undoLimit.
  const undoable: Topology[] = [];
  const redoable: Topology[] = [];
  const listeners = new Set<() => void>();
  // Changes run one after another so the file always ends up holding the last change made in memory.
  const serially = createSerialQueue();
  /**
   * Writes first and only then changes memory, so a failed write leaves both as they were; `history` moves
   * undo's entries before listeners hear of the change, so what they read is whole.
   */
  const commit = async (next: StoredState, history = () => {}): Promise<void> => {
    await write(file, serializeState(next));
    state = next;
    revision += 1;
    history();
    for (const listener of listeners) listener();
  };
  /** `make` reads the state when the change's turn comes, not when it was asked for. */
  const change = (make: (current: StoredState) => Made) =>
    serially(async (): Promise<ChangeOutcome> => {
      const made = make(state);
      if (!made.ok) return made;
      if (JSON.stringify(made.topology) === JSON.stringify(state.pending)) return { ok: true, changed: false };
      const previous = state.pending;
      await commit({ ...state, pending: made.topology }, () => {
        undoable.push(previous);
        if (undoable.length > undoLimit) undoable.shift();
        redoable.length = 0;
      });
      return { ok: true, changed: true };
    });
  /** Undo steps from `undoable` to `redoable`, redo back. */
  const step = (from: Topology[], to: Topology[]) =>
    serially(async () => {
      const target = from.at(-1);
      if (target === undefined) return false;
      const current = state.pending;
      await commit({ ...state, pending: target }, () => {
        from.pop();
        to.push(current);
      });
      return true;
    });

  return {
    file,
    recovery: loaded.recovery,
    pending: () => state.pending,
    deployed: () => state.deployed,
    revision: () => revision,
    canUndo: () => undoable.length > 0,
    canRedo: () => redoable.length > 0,
    save: (input) => change(() => validated(input, 'not saved')),
    apply: (command) => change((current) => applyCommand(current, command)),
    cancelChanges: () => change(cancelChanges),
    undo: () => step(undoable, redoable),
    redo: () => step(redoable, undoable),
    markDeployed: (topology) => serially(() => commit({ ...state, deployed: topology })),
    onDidChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

async function load(file: string, now: () => Date): Promise<{ state: StoredState; recovery: Recovery | null }> {
  const empty = { state: { pending: EMPTY_TOPOLOGY, deployed: null }, recovery: null };
  const text = await readTextIfExists(file);
  if (text === null) return empty;
  const parsed = parseState(text);
  if (parsed.ok === true) return { state: parsed.state, recovery: null };
  if (parsed.ok === 'newer') {
    throw new StoreError(`${file} was written by a newer Raincoat (format ${parsed.format}); upgrade Raincoat to open it`);
  }
  const keptAs = await keepAside(file, now());
  return { ...empty, recovery: { keptAs, reason: `${file} ${parsed.reason}`, problems: parsed.problems } };
}
