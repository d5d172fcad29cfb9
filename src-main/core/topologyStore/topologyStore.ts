// The pending topology (and the last deployed one) kept in one JSON file: atomic saves, refused invalid input, undo, change events.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { keepAside, readTextIfExists, removeStaleTemporaries, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import type { Problem } from '../../../src-shared/validation/zodProblems.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import type { StoredState } from './storedState.ts';
import { EMPTY_TOPOLOGY, parseState, serializeState } from './storedState.ts';
import { createSerialQueue } from '../../../src-shared/async/serialQueue.ts';

/** A stored file that could not be used when the store opened: where it was kept and why. */
export interface Recovery {
  keptAs: string;
  reason: string;
  problems: Problem[];
}

export type SaveOutcome = { ok: true; changed: boolean } | { ok: false; problems: Problem[] };

export interface TopologyStore {
  readonly file: string;
  /** Set when the file found at opening was corrupt; the store then started empty. */
  readonly recovery: Recovery | null;
  pending(): Topology;
  deployed(): Topology | null;
  /** Grows by one with every stored change during this process's life. */
  revision(): number;
  canUndo(): boolean;
  /** Validates `input`; an invalid one is refused with its problems and changes nothing. An equal one changes nothing either. */
  save(input: unknown): Promise<SaveOutcome>;
  /** Restores the pending topology before the last change; false when there is nothing to undo. */
  undo(): Promise<boolean>;
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
  const history: Topology[] = [];
  const listeners = new Set<() => void>();
  // Changes run one after another so the file always ends up holding the last change made in memory.
  const serially = createSerialQueue();
  /** Writes first and only then changes memory, so a failed write leaves both as they were. */
  const commit = async (next: StoredState): Promise<void> => {
    await write(file, serializeState(next));
    state = next;
    revision += 1;
    for (const listener of listeners) listener();
  };

  return {
    file,
    recovery: loaded.recovery,
    pending: () => state.pending,
    deployed: () => state.deployed,
    revision: () => revision,
    canUndo: () => history.length > 0,
    save: (input) =>
      serially(async () => {
        const result = validateTopology(input);
        if (!result.ok) return { ok: false, problems: result.problems };
        if (JSON.stringify(result.topology) === JSON.stringify(state.pending)) return { ok: true, changed: false };
        const previous = state.pending;
        await commit({ ...state, pending: result.topology });
        history.push(previous);
        if (history.length > undoLimit) history.shift();
        return { ok: true, changed: true };
      }),
    undo: () =>
      serially(async () => {
        const previous = history.at(-1);
        if (previous === undefined) return false;
        await commit({ ...state, pending: previous });
        history.pop();
        return true;
      }),
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
