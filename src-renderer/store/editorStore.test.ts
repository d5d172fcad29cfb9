import { describe, expect, it } from 'vitest';
import type { TopologyState } from '../../src-shared/contract/contract.ts';
import { ContractError } from '../../src-shared/contract/transport.ts';
import { diffTopologies } from '../../src-shared/diff/diffTopologies.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../src-shared/topology/validate.ts';
import { createEditorStore } from './editorStore.ts';
import type { TopologyApi } from './editorStore.ts';
import { deleteRoot, replaceRoot } from './edits.ts';

const root = (id: number, second: number) => ({ id, name: `c${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${second}.0.0/16`, maxClients: 150 });
const start: Topology = { roots: [root(1, 1), root(2, 2)], tunnels: [{ a: 1, b: 2 }] };

/** Main as the editor sees it, in memory: validation and the plan are the real shared code. */
function fakeMain(initial: Topology) {
  let topology = initial;
  const history: Topology[] = [];
  let revision = 0;
  let online = true;
  const state = (): TopologyState => ({ topology, plan: planAddresses(topology), revision, canUndo: history.length > 0, storedIn: '/s.json', recovery: null });
  const guard = () => {
    if (!online) throw new ContractError({ code: 'disconnected', message: 'lost the connection to ws://127.0.0.1:1/contract' });
  };
  const api: TopologyApi = {
    'topology.get': async () => (guard(), state()),
    'topology.save': async ({ topology: candidate }) => {
      guard();
      const result = validateTopology(candidate);
      if (!result.ok) return { ok: false, reason: 'not saved', problems: result.problems };
      history.push(topology);
      topology = result.topology;
      revision++;
      return { ok: true, state: state() };
    },
    'topology.open': async () => ({ ok: false, reason: 'cannot read', problems: [] }),
    'topology.undo': async () => {
      const previous = history.pop();
      if (previous) {
        topology = previous;
        revision++;
      }
      return { undone: previous !== undefined, state: state() };
    },
    'topology.diff': async () => ({ deployed: false, diff: diffTopologies({ roots: [], tunnels: [] }, topology) }),
  };
  return { api, state, setOnline: (value: boolean) => (online = value), bump: () => revision++ };
}

async function loaded(initial = start) {
  const main = fakeMain(initial);
  const store = createEditorStore(main.api);
  await store.getState().actions.load();
  return { main, store, actions: store.getState().actions };
}

describe('editor store', () => {
  it('loads the state, draws it and summarises what a deploy would do', async () => {
    const { store } = await loaded();
    const s = store.getState();
    expect(s.nodes.map((n) => n.id)).toEqual(['root-1', 'root-2']);
    expect(s.edges.map((e) => e.id)).toEqual(['tunnel-1-2']);
    await expect.poll(() => store.getState().deploySummary).toBe('to deploy: +2 roots, +1 tunnel, +4 leaves');
  });

  it('keeps a refusal with its problems and leaves the drawing as stored', async () => {
    const { store, actions } = await loaded();
    actions.select({ kind: 'root', id: 2 });
    const stored = await actions.save(replaceRoot(start, 1, root(2, 1)));
    expect(stored).toBe(false);
    const s = store.getState();
    expect(s.refusal?.problems).toEqual([{ path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps roots[0] "c1" (10.1.0.0/16)' }]);
    expect(s.server?.revision).toBe(0);
    expect(s.nodes[1]?.data.overlay).toBe('10.2.0.0/16');
    expect(s.selection).toEqual({ kind: 'root', id: 2 });
  });

  it('clears the refusal on a stored change or a new selection', async () => {
    const { store, actions } = await loaded();
    await actions.save({ roots: 'nope' });
    expect(store.getState().refusal).not.toBeNull();
    await actions.save(replaceRoot(start, 1, root(2, 9)));
    expect(store.getState().refusal).toBeNull();
    expect(store.getState().nodes[1]?.data.overlay).toBe('10.9.0.0/16');
    await actions.save({ roots: 'nope' });
    actions.select({ kind: 'none' });
    expect(store.getState().refusal).toBeNull();
  });

  it('selects what a change asks for, and drops a selection whose root is gone', async () => {
    const { store, actions } = await loaded();
    expect(await actions.connect(2, 1)).toBe(false);
    expect(store.getState().refusal?.problems[0]?.path).toBe('tunnels[1]');
    actions.select({ kind: 'root', id: 2 });
    expect(store.getState().nodes.map((n) => n.selected)).toEqual([false, true]);
    await actions.save(deleteRoot(start, 2));
    expect(store.getState().selection).toEqual({ kind: 'none' });
    await actions.undo();
    expect(store.getState().nodes).toHaveLength(2);
    await actions.save({ ...start, roots: [...start.roots, root(3, 3)] }, { kind: 'root', id: 3 });
    expect(store.getState().selection).toEqual({ kind: 'root', id: 3 });
  });

  it('stores where a root was dropped, rounded', async () => {
    const { store, actions } = await loaded();
    await actions.dropRoot(1, { x: 100.4, y: -20.6 });
    expect(store.getState().server?.topology.roots[0]?.position).toEqual({ x: 100, y: -21 });
  });

  it('keeps only newer states from events', async () => {
    const { main, store, actions } = await loaded();
    const older = main.state();
    await actions.save(replaceRoot(start, 0, root(1, 5)));
    actions.receiveEvent(older);
    expect(store.getState().server?.revision).toBe(1);
    main.bump();
    actions.receiveEvent(main.state());
    expect(store.getState().server?.revision).toBe(2);
  });

  it('turns a failed call into a failure line, and clears it once a call succeeds', async () => {
    const { main, store, actions } = await loaded();
    main.setOnline(false);
    expect(await actions.save(start)).toBe(false);
    expect(store.getState().failure).toBe('lost the connection to ws://127.0.0.1:1/contract');
    main.setOnline(true);
    await actions.load();
    expect(store.getState().failure).toBeNull();
  });

  it('applies only drag and size changes from the canvas', async () => {
    const { store, actions } = await loaded();
    actions.changeNodes([
      { type: 'position', id: 'root-1', position: { x: 5, y: 6 }, dragging: true },
      { type: 'select', id: 'root-2', selected: true },
      { type: 'remove', id: 'root-2' },
    ]);
    const nodes = store.getState().nodes;
    expect(nodes.map((n) => [n.id, n.position, n.selected])).toEqual([
      ['root-1', { x: 5, y: 6 }, false],
      ['root-2', expect.anything(), false],
    ]);
  });
});
