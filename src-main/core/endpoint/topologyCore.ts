// The topology calls of the contract, implemented on the topology store: state with its plan, save, open, undo, diff.
import type { ChangeResult, Problem, TopologyState } from '../../../src-shared/contract/contract.ts';
import { diffTopologies } from '../../../src-shared/diff/diffTopologies.ts';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import type { LoadResult } from '../topologyFile/loadTopology.ts';
import { loadTopology } from '../topologyFile/loadTopology.ts';
import type { TopologyStore } from '../topologyStore/topologyStore.ts';
import { EMPTY_TOPOLOGY } from '../topologyStore/storedState.ts';
import type { CorePart } from './serve.ts';

export type TopologyCall = 'topology.get' | 'topology.save' | 'topology.open' | 'topology.undo' | 'topology.diff';
import { count } from '../../../src-shared/text/count.ts';

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
  const state = (): TopologyState => ({
    topology: store.pending(),
    plan: planAddresses(store.pending()),
    revision: store.revision(),
    canUndo: store.canUndo(),
    storedIn: store.file,
    recovery: store.recovery,
  });
  const refused = (problems: Problem[], what: string): ChangeResult => ({
    ok: false,
    reason: `${what}: ${count(problems.length, 'problem')}; the pending topology is unchanged`,
    problems,
  });

  return {
    handlers: {
      'topology.get': async () => state(),
      'topology.save': async ({ topology }) => {
        const refusal = blocked();
        if (refusal) return refusal;
        const outcome = await store.save(topology);
        return outcome.ok ? { ok: true, state: state() } : refused(outcome.problems, 'not saved');
      },
      'topology.open': async ({ path }) => {
        const refusal = blocked();
        if (refusal) return refusal;
        const loaded = await readTopologyFile(path);
        if (loaded.kind === 'unreadable') return { ok: false, reason: loaded.message, problems: [] };
        if (loaded.kind === 'invalid') return refused(loaded.problems, `${path} not opened`);
        const outcome = await store.save(loaded.topology);
        // The file passed the same validation the store applies, so a refusal here would be a bug.
        if (!outcome.ok) throw new Error(`${path} passed validation once and failed it again`);
        return { ok: true, state: state() };
      },
      'topology.undo': async () => ({ undone: blocked() === undefined && (await store.undo()), state: state() }),
      'topology.diff': async () => {
        const deployed = store.deployed();
        return { deployed: deployed !== null, diff: diffTopologies(deployed ?? EMPTY_TOPOLOGY, store.pending()) };
      },
    },
    subscribe: (emit) => store.onDidChange(() => emit('topology.didChange', state())),
  };
}
