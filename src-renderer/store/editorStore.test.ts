import { describe, expect, it } from 'vitest';
import type { Api, ChangeResult, PendingChanges, TopologyCommand, TopologyState } from '../../src-shared/contract/contract.ts';
import { ContractError } from '../../src-shared/contract/transport.ts';
import { diffTopologies } from '../../src-shared/diff/diffTopologies.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import type { Layout } from '../canvas/layoutRoots.ts';
import { rootHandles } from '../canvas/toFlow.ts';
import { createEditorStore } from './editorStore.ts';
import type { TopologyApi } from './editorStore.ts';

const root = (id: number, second: number) => ({ id, name: `c${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${second}.0.0/16`, maxClients: 150 });
const placed = (id: number, second: number, x: number) => ({ ...root(id, second), position: { x, y: 0 } });
/** A layout that puts roots in a row 300 px apart, in the order given, and remembers what it was asked. */
function rowLayout() {
  const asked: number[][] = [];
  const layout: Layout = async (ids) => {
    asked.push([...ids]);
    return new Map(ids.map((id, i) => [id, { x: 300 * i, y: 0 }]));
  };
  return { layout, asked };
}
const start: Topology = { roots: [root(1, 1), root(2, 2)], tunnels: [{ a: 1, b: 2 }] };
const NO_CHANGES: PendingChanges = { deployed: true, roots: { added: [], changed: [], moved: [], deleted: [] }, tunnels: { added: [], deleted: [] }, count: 0 };

/**
 * Main as the editor sees it, in memory: what main answers to a command or to cancelling changes is each test's to
 * script (main's own tests cover what they do); undo and redo walk the states answered so far.
 */
function fakeMain(initial: Topology) {
  const stateOf = (topology: Topology, revision: number, changes = NO_CHANGES): TopologyState => ({
    topology,
    plan: planAddresses(topology),
    changes,
    revision,
    canUndo: false,
    canRedo: false,
    storedIn: '/s.json',
    recovery: null,
  });
  let current = stateOf(initial, 0);
  const undone: TopologyState[] = [];
  const done: TopologyState[] = [];
  let online = true;
  let opened: Topology | null = null;
  const sent: TopologyCommand[] = [];
  let answer: () => ChangeResult = () => ({ ok: false, reason: 'no answer scripted', problems: [] });
  const guard = () => {
    if (!online) throw new ContractError({ code: 'disconnected', message: 'lost the connection to ws://127.0.0.1:1/contract' });
  };
  /** The answer of a change main made: `topology` stored as the next revision. */
  const stored = (topology: Topology, changes = NO_CHANGES): ChangeResult => {
    done.push(current);
    current = stateOf(topology, current.revision + 1, changes);
    return { ok: true, state: current };
  };
  const step = (from: TopologyState[], to: TopologyState[]) => {
    const target = from.pop();
    if (target) {
      to.push(current);
      current = stateOf(target.topology, current.revision + 1, target.changes);
    }
    return target !== undefined;
  };
  // `topology.open` too: the test opens a file as another window would, and the state comes as an event.
  const api: TopologyApi & Pick<Api, 'topology.open'> = {
    'topology.get': async () => (guard(), current),
    'topology.command': async (command) => {
      guard();
      sent.push(command);
      return answer();
    },
    'topology.save': async ({ topology }) => (guard(), stored(topology as Topology)),
    'topology.open': async () => (opened ? stored(opened) : { ok: false, reason: 'cannot read', problems: [] }),
    'topology.undo': async () => ({ undone: step(done, undone), state: current }),
    'topology.redo': async () => ({ redone: step(undone, done), state: current }),
    'topology.cancelChanges': async () => answer(),
    'topology.diff': async () => ({ deployed: false, diff: diffTopologies({ roots: [], tunnels: [] }, current.topology) }),
  };
  return {
    api,
    sent,
    stored,
    state: () => current,
    answer: (next: typeof answer) => (answer = next),
    setOnline: (value: boolean) => (online = value),
    bump: () => (current = { ...current, revision: current.revision + 1 }),
    /** The file `topology.open` reads from now on. */
    fileHolds: (topology: Topology) => (opened = topology),
  };
}

async function loaded(initial = start, layout = rowLayout().layout) {
  const main = fakeMain(initial);
  const store = createEditorStore(main.api, layout);
  await store.getState().actions.load();
  return { main, store, actions: store.getState().actions };
}

const overlapping = { ok: false as const, reason: 'root 2 (c2) not saved: 1 problem; the pending topology is unchanged', problems: [{ path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps roots[0] "c1" (10.1.0.0/16)' }] };

describe('editor store', () => {
  it('loads the state, draws it and summarises what a deploy would do', async () => {
    const { store } = await loaded();
    const s = store.getState();
    expect(s.nodes.map((n) => n.id)).toEqual(['root-1', 'root-2']);
    expect(s.edges.map((e) => e.id)).toEqual(['tunnel-1-2']);
    await expect.poll(() => store.getState().deploySummary).toBe('to deploy: +2 roots, +1 tunnel, +4 leaves');
  });

  it('sends each edit as a command and keeps a refusal with its problems, the drawing as stored', async () => {
    const { main, store, actions } = await loaded();
    actions.select({ kind: 'root', id: 2 });
    main.answer(() => overlapping);
    expect(await actions.command({ kind: 'editRoot', id: 2, changes: { overlay: '10.1.0.0/16' } })).toBe(false);
    expect(main.sent).toEqual([{ kind: 'editRoot', id: 2, changes: { overlay: '10.1.0.0/16' } }]);
    const s = store.getState();
    expect(s.refusal).toEqual({ reason: overlapping.reason, problems: overlapping.problems });
    expect(s.server?.revision).toBe(0);
    expect(s.nodes[1]?.data.overlay).toBe('10.2.0.0/16');
    expect(s.selection).toEqual({ kind: 'root', id: 2 });
  });

  it('clears the refusal on a stored change or a new selection', async () => {
    const { main, store, actions } = await loaded();
    main.answer(() => overlapping);
    await actions.command({ kind: 'editRoot', id: 2, changes: { overlay: '10.1.0.0/16' } });
    expect(store.getState().refusal).not.toBeNull();
    main.answer(() => main.stored({ ...start, roots: [root(1, 1), root(2, 9)] }));
    await actions.command({ kind: 'editRoot', id: 2, changes: { overlay: '10.9.0.0/16' } });
    expect(store.getState().refusal).toBeNull();
    expect(store.getState().nodes[1]?.data.overlay).toBe('10.9.0.0/16');
    main.answer(() => overlapping);
    await actions.command({ kind: 'editRoot', id: 2, changes: { overlay: '10.1.0.0/16' } });
    actions.select({ kind: 'none' });
    expect(store.getState().refusal).toBeNull();
  });

  it('selects what a change asks for, and drops a selection whose root is gone', async () => {
    const { main, store, actions } = await loaded();
    main.answer(() => ({ ok: false, reason: 'root 2 (c2) already has a tunnel to root 1 (c1)', problems: [] }));
    expect(await actions.connect(2, 1)).toBe(false);
    expect(store.getState().refusal).toEqual({ reason: 'root 2 (c2) already has a tunnel to root 1 (c1)', problems: [], tunnel: { a: 2, b: 1 } });
    actions.dismissRefusal();
    expect(store.getState().refusal).toBeNull();
    await actions.connect(2, 1);
    actions.select({ kind: 'root', id: 2 });
    expect(store.getState().nodes.map((n) => n.selected)).toEqual([false, true]);
    main.answer(() => main.stored({ roots: [root(1, 1)], tunnels: [] }));
    await actions.command({ kind: 'deleteRoot', id: 2 });
    expect(store.getState().selection).toEqual({ kind: 'none' });
    await actions.undo();
    expect(store.getState().nodes).toHaveLength(2);
    main.answer(() => main.stored({ ...start, roots: [...start.roots, root(3, 3)] }));
    await actions.command({ kind: 'addRoot', root: root(3, 3) }, { kind: 'root', id: 3 });
    expect(store.getState().selection).toEqual({ kind: 'root', id: 3 });
    main.answer(() => main.stored({ ...start, roots: [...start.roots, root(3, 3)], tunnels: [...start.tunnels, { a: 3, b: 1 }] }));
    expect(await actions.connect(3, 1)).toBe(true);
    expect(store.getState().selection).toEqual({ kind: 'tunnel', a: 3, b: 1 });
    expect(main.sent.map((c) => c.kind)).toEqual(['addTunnel', 'addTunnel', 'deleteRoot', 'addRoot', 'addTunnel']);
  });

  it('stores where a root was dropped, as a move', async () => {
    const { main, actions } = await loaded();
    main.answer(() => main.stored(start));
    await actions.dropRoot(1, { x: 100.4, y: -20.6 });
    expect(main.sent).toEqual([{ kind: 'moveRoot', id: 1, position: { x: 100.4, y: -20.6 } }]);
  });

  it('draws deleted roots and tunnels struck through, and lets go of a deleted root', async () => {
    const { main, store, actions } = await loaded();
    actions.select({ kind: 'root', id: 2 });
    const changes: PendingChanges = { ...NO_CHANGES, roots: { ...NO_CHANGES.roots, deleted: [root(2, 2)] }, tunnels: { added: [], deleted: [{ a: 1, b: 2 }] }, count: 2 };
    main.answer(() => main.stored({ roots: [root(1, 1)], tunnels: [] }, changes));
    await actions.command({ kind: 'deleteRoot', id: 2 });
    const s = store.getState();
    expect(s.selection).toEqual({ kind: 'none' });
    expect(s.nodes.map((n) => [n.id, n.data.change])).toEqual([
      ['root-1', null],
      ['root-2', 'deleted'],
    ]);
    expect(s.edges.map((e) => [e.id, e.data?.change])).toEqual([['tunnel-1-2', 'deleted']]);
  });

  it('redoes, and cancels changes or keeps why not', async () => {
    const { main, store, actions } = await loaded();
    main.answer(() => main.stored({ roots: [root(1, 1)], tunnels: [] }));
    await actions.command({ kind: 'deleteRoot', id: 2 });
    await actions.undo();
    expect(store.getState().server?.topology).toEqual(start);
    await actions.redo();
    expect(store.getState().server?.topology.roots).toHaveLength(1);
    main.answer(() => ({ ok: false, reason: 'nothing is deployed yet, so there is no deployed topology to go back to', problems: [] }));
    expect(await actions.cancelChanges()).toBe(false);
    expect(store.getState().refusal?.reason).toBe('nothing is deployed yet, so there is no deployed topology to go back to');
    main.answer(() => main.stored(start));
    expect(await actions.cancelChanges()).toBe(true);
    expect(store.getState()).toMatchObject({ refusal: null, server: { topology: start, revision: 4 } });
  });

  it('keeps only newer states from events', async () => {
    const { main, store, actions } = await loaded();
    const older = main.state();
    main.answer(() => main.stored({ ...start, roots: [root(1, 5), root(2, 2)] }));
    await actions.command({ kind: 'editRoot', id: 1, changes: { overlay: '10.5.0.0/16' } });
    actions.receiveEvent(older);
    expect(store.getState().server?.revision).toBe(1);
    main.bump();
    actions.receiveEvent(main.state());
    expect(store.getState().server?.revision).toBe(2);
  });

  it('keeps a newer state that an event brought while the first one was on its way', async () => {
    const main = fakeMain(start);
    const store = createEditorStore(main.api, rowLayout().layout);
    const loading = store.getState().actions.load();
    const first = main.state().revision;
    main.bump();
    store.getState().actions.receiveEvent(main.state());
    await loading;
    expect(store.getState().server?.revision).toBe(first + 1);
  });

  it('turns a failed call into a failure line, and clears it once a call succeeds', async () => {
    const { main, store, actions } = await loaded();
    main.setOnline(false);
    expect(await actions.command({ kind: 'deleteRoot', id: 1 })).toBe(false);
    expect(store.getState().failure).toBe('lost the connection to ws://127.0.0.1:1/contract');
    main.setOnline(true);
    await actions.load();
    expect(store.getState().failure).toBeNull();
  });

  it('keeps each root’s handles where its measured size puts them', async () => {
    const { store, actions } = await loaded();
    actions.changeNodes([{ type: 'dimensions', id: 'root-2', dimensions: { width: 220, height: 300 } }]);
    const [first, second] = store.getState().nodes;
    expect(second?.measured).toEqual({ width: 220, height: 300 });
    expect(second?.handles).toEqual(rootHandles({ width: 220, height: 300 }));
    // One React Flow has not measured declares none: React Flow measures them itself.
    expect(first?.handles).toBeUndefined();
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

describe('the drawing’s identity', () => {
  it('keeps every node, edge and data object a selection or a drag did not change, so React Flow redraws only those', async () => {
    const { store, actions } = await loaded({ roots: [placed(1, 1, 0), placed(2, 2, 300), placed(3, 3, 600)], tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] });
    const first = store.getState();
    actions.select({ kind: 'root', id: 2 });
    const selected = store.getState();
    expect(selected.nodes[0]).toBe(first.nodes[0]);
    expect(selected.nodes[2]).toBe(first.nodes[2]);
    expect(selected.nodes[1]).not.toBe(first.nodes[1]);
    expect(selected.nodes[1]?.data).toBe(first.nodes[1]?.data);
    expect(selected.edges).toEqual(first.edges);
    expect(selected.edges[0]).toBe(first.edges[0]);
    actions.changeNodes([{ type: 'position', id: 'root-3', position: { x: 640, y: 10 }, dragging: true }]);
    const dragged = store.getState();
    expect(dragged.nodes[0]).toBe(selected.nodes[0]);
    expect(dragged.nodes[1]).toBe(selected.nodes[1]);
    expect(dragged.nodes[2]?.data).toBe(selected.nodes[2]?.data);
  });

  it('gives a new data object to the one root a change touched', async () => {
    const { main, store, actions } = await loaded({ roots: [placed(1, 1, 0), placed(2, 2, 300)], tunnels: [] });
    const before = store.getState().nodes;
    main.answer(() => main.stored({ roots: [placed(1, 1, 0), { ...placed(2, 2, 300), maxClients: 450 }], tunnels: [] }));
    await actions.command({ kind: 'editRoot', id: 2, changes: { maxClients: 450 } });
    const after = store.getState().nodes;
    expect(after[0]).toBe(before[0]);
    expect(after[1]?.data).not.toBe(before[1]?.data);
    expect(after[1]?.data.leaves).toHaveLength(5);
  });
});

describe('layout and view', () => {
  it('lays out the roots that have no position, beside the others, and asks the canvas to fit the view then', async () => {
    const { layout, asked } = rowLayout();
    const { store } = await loaded({ roots: [placed(1, 1, 0), root(2, 2), root(3, 3)], tunnels: [{ a: 2, b: 3 }] }, layout);
    await expect.poll(() => store.getState().laidOut.size).toBe(2);
    expect(asked).toEqual([[2, 3]]);
    const s = store.getState();
    expect(s.nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 380, y: 0 }, { x: 680, y: 0 }]);
    // Once for the first topology, once more when its roots were laid out.
    expect(s.fitRequest).toBe(2);
  });

  it('lays out only roots not laid out before: an added root leaves the others where they are', async () => {
    const { layout, asked } = rowLayout();
    const { main, store, actions } = await loaded({ roots: [root(1, 1), root(2, 2)], tunnels: [] }, layout);
    await expect.poll(() => store.getState().laidOut.size).toBe(2);
    main.answer(() => main.stored({ roots: [root(1, 1), root(2, 2), root(3, 3)], tunnels: [] }));
    await actions.command({ kind: 'addRoot', root: root(3, 3) });
    await expect.poll(() => store.getState().laidOut.size).toBe(3);
    expect(asked).toEqual([[1, 2], [3]]);
    expect(store.getState().nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 300, y: 0 }, { x: 300 + 220 + 160, y: 0 }]);
  });

  it('asks for a fit when a file replaces the drawing, not after an edit', async () => {
    const { main, store, actions } = await loaded({ roots: [placed(1, 1, 0), placed(2, 2, 300)], tunnels: [] });
    const fit = store.getState().fitRequest;
    main.answer(() => main.stored({ roots: [placed(1, 1, 0), placed(2, 2, 300), placed(3, 3, 600)], tunnels: [] }));
    await actions.command({ kind: 'addRoot', root: placed(3, 3, 600) });
    expect(store.getState().fitRequest).toBe(fit);
    main.fileHolds({ roots: [{ ...placed(1, 7, 0), name: 'elsewhere' }, placed(8, 8, 300)], tunnels: [{ a: 1, b: 8 }] });
    main.answer(() => ({ ok: false, reason: 'root 1 (c1) cannot have a tunnel to itself', problems: [] }));
    await actions.connect(1, 1);
    actions.select({ kind: 'root', id: 1 });
    await actions.connect(1, 1);
    // Opened elsewhere (another window, the file dialog's call): the state comes as an event.
    await main.api['topology.open']({ path: '/other.json' });
    actions.receiveEvent(main.state());
    expect(store.getState()).toMatchObject({ fitRequest: fit + 1, selection: { kind: 'none' }, refusal: null });
  });

  it('lays the whole drawing out and stores every place as one change, then fits the view', async () => {
    const { main, store, actions } = await loaded({ roots: [placed(1, 1, 40), placed(2, 2, 900)], tunnels: [{ a: 1, b: 2 }] });
    const fit = store.getState().fitRequest;
    expect(await actions.layOut()).toBe(true);
    expect(main.state().topology.roots.map((r) => r.position)).toEqual([{ x: 0, y: 0 }, { x: 300, y: 0 }]);
    expect(main.state().revision).toBe(1);
    expect(store.getState().fitRequest).toBe(fit + 1);
  });

  it('says so when the layout fails, and draws the roots where it can', async () => {
    const { store } = await loaded({ roots: [root(1, 1)], tunnels: [] }, () => Promise.reject(new Error('out of memory')));
    await expect.poll(() => store.getState().failure).toBe('The automatic layout failed: out of memory');
    expect(store.getState().nodes).toHaveLength(1);
  });
});
