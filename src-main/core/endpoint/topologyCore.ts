// The topology calls of the contract, implemented on the topology store: state with its plan and pending changes, save, commands, open, undo and redo, cancel, diff.
import type { ChangeResult, TopologyState } from '../../../src-shared/contract/contract.ts';
import type { TopologyDiff } from '../../../src-shared/diff/diffTopologies.ts';
import { diffTopologies } from '../../../src-shared/diff/diffTopologies.ts';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { LoadResult } from '../topologyFile/loadTopology.ts';
import { loadTopology } from '../topologyFile/loadTopology.ts';
import { pendingChanges } from '../topologyStore/pendingChanges.ts';
import { validationRefusal } from '../topologyStore/topologyCommands.ts';
import type { ChangeOutcome, TopologyStore } from '../topologyStore/topologyStore.ts';
import { EMPTY_TOPOLOGY } from '../topologyStore/storedState.ts';
import type { CorePart } from './serve.ts';

export type TopologyCall =
  | 'topology.get'
  | 'topology.save'
  | 'topology.command'
  | 'topology.open'
  | 'topology.undo'
  | 'topology.redo'
  | 'topology.cancelChanges'
  | 'topology.diff';

export interface TopologyCoreOptions {
  /** Injected so tests can stand in for the file system. */
  readTopologyFile?: (path: string) => Promise<LoadResult>;
  /** Why edits are refused now (a deploy under way), or null. */
  editingBlocked?: () => string | null;
}

export function topologyCore(store: TopologyStore, options: TopologyCoreOptions = {}): CorePart<TopologyCall> {
  const readTopologyFile = options.readTopologyFile ?? loadTopology;
  const blocked = (): ChangeResult | undefined => {
    const reason = options.editingBlocked?.() ?? null;
    return reason === null ? undefined : { ok: false, reason, problems: [] };
  };
  // Every change bumps the revision, so the state and the diff are worked out once per revision however many calls and
  // windows ask: an editor asks for both after each change.
  let last: { state: TopologyState; diff: TopologyDiff } | undefined;
  const current = () => {
    if (last?.state.revision !== store.revision()) {
      const [pending, deployed] = [store.pending(), store.deployed()];
      const diff = diffTopologies(deployed ?? EMPTY_TOPOLOGY, pending);
      const state = {
        topology: pending,
        plan: planAddresses(pending),
        changes: pendingChanges(deployed, pending, diff),
        revision: store.revision(),
        canUndo: store.canUndo(),
        canRedo: store.canRedo(),
        storedIn: store.file,
        recovery: store.recovery,
      };
      last = { state, diff };
    }
    return last;
  };
  const state = () => current().state;
  const answer = (outcome: ChangeOutcome): ChangeResult => (outcome.ok ? { ok: true, state: state() } : outcome);
  /** A change refused while a deploy is under way, else made. */
  const unlessBlocked = async (change: () => Promise<ChangeResult>): Promise<ChangeResult> => blocked() ?? change();

  return {
    handlers: {
      'topology.get': async () => state(),
      'topology.save': ({ topology }) => unlessBlocked(async () => answer(await store.save(topology))),
      'topology.command': (command) => unlessBlocked(async () => answer(await store.apply(command))),
      'topology.open': ({ path }) =>
        unlessBlocked(async () => {
          const loaded = await readTopologyFile(path);
          if (loaded.kind === 'unreadable') return { ok: false, reason: loaded.message, problems: [] };
          if (loaded.kind === 'invalid') return validationRefusal(`${path} not opened`, loaded.problems);
          const outcome = await store.save(loaded.topology);
          // The file passed the same validation the store applies, so a refusal here would be a bug.
          if (!outcome.ok) throw new Error(`${path} passed validation once and failed it again`);
          return answer(outcome);
        }),
      'topology.undo': async () => ({ undone: blocked() === undefined && (await store.undo()), state: state() }),
      'topology.redo': async () => ({ redone: blocked() === undefined && (await store.redo()), state: state() }),
      'topology.cancelChanges': () => unlessBlocked(async () => answer(await store.cancelChanges())),
      'topology.diff': async () => ({ deployed: store.deployed() !== null, diff: current().diff }),
    },
    subscribe: (emit) => store.onDidChange(() => emit('topology.didChange', state())),
  };
}
