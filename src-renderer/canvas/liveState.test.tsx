// @vitest-environment happy-dom
// The live state the graph draws from status rows: each root's clients of its capacity, each leaf's clients, each tunnel's
// state; and that one row changing redraws only its own root or tunnel.
import { act, cleanup, screen, within } from '@testing-library/react';
import type { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useStoreApi } from '@xyflow/react';
import type { EdgeProps, NodeProps } from '@xyflow/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NodeStatusRowView, OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { renderCanvas } from './canvasHarness.testkit.tsx';
import { drawnSince, renders } from './countedViews.testkit.ts';
import type { RootNode, TunnelEdge } from './toFlow.ts';

/** The real root and tunnel views, their drawings counted by id. */
vi.mock('./RootNodeView.tsx', async (importOriginal) => ({
  RootNodeView: (await import('./countedViews.testkit.ts')).counted<NodeProps<RootNode>>((await importOriginal<{ RootNodeView: unknown }>()).RootNodeView),
}));
vi.mock('./TunnelEdgeView.tsx', async (importOriginal) => ({
  TunnelEdgeView: (await import('./countedViews.testkit.ts')).counted<EdgeProps<TunnelEdge>>((await importOriginal<{ TunnelEdgeView: unknown }>()).TunnelEdgeView),
}));

// happy-dom lays nothing out: React Flow draws a tunnel only between roots it has measured, so roots take a size here,
// and the canvas room for them all at full size.
const sized = (root: number, room: number) =>
  function (this: HTMLElement) {
    return this.classList.contains('react-flow__node') ? root : room;
  };
beforeAll(() => {
  vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockImplementation(sized(220, 1000));
  vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(sized(150, 800));
});
afterAll(() => vi.restoreAllMocks());
afterEach(() => {
  cleanup();
  renders.clear();
});

/** Close enough for a fit in the 1,000 px room to show them at full detail. */
const placed = (id: number, maxClients: number) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients, position: { x: 240 * (id - 1), y: 0 } });
/** 250 clients make three leaves of 100 at most (the planner's), 100 one. */
const topology = { roots: [placed(1, 250), placed(2, 100), placed(3, 100)], tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };

const base = { status: 'alive' as const, lastHeartbeat: 1000, topologyId: 't1' };
const root = (id: number, extra: Partial<NodeStatusRowView> = {}): NodeStatusRowView => ({ id, kind: 'root', name: `root-${id}`, ...base, ...extra });
const leaf = (rootId: number, n: number, extra: Partial<NodeStatusRowView> = {}): NodeStatusRowView => ({ id: `${rootId}-${n}`, kind: 'leaf', name: `leaf-${rootId}-${n}`, ...base, ...extra });

function overlayState(revision: number, nodes: NodeStatusRowView[]): OverlayState {
  return {
    overlay: { name: 'sandbox', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: nodes.length },
    session: { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false },
    status: { nodes, readAt: 1000, problem: null },
    deploy: null,
    keys: 'open',
    revision,
  };
}

/** The view's zoom, set as React Flow's own zoom would; and the roots measured, as its ResizeObserver would (happy-dom's never reports). */
let setZoom: (zoom: number) => void = () => {};
let zoom: () => number = () => 0;
let measure: () => void = () => {};
/** Moves a root's handle by `by` px, as React Flow's measuring would by its noise or a real move. */
let nudge: (root: string, by: number) => void = () => {};
function FlowControl() {
  const store = useStoreApi();
  nudge = (root, by) => {
    const { nodeLookup } = store.getState();
    const node = nodeLookup.get(root)!;
    const moved = (handles: typeof node.internals.handleBounds) => handles && { source: handles.source?.map((h) => ({ ...h, x: h.x + by })) ?? null, target: handles.target };
    nodeLookup.set(root, { ...node, internals: { ...node.internals, handleBounds: moved(node.internals.handleBounds) } });
    store.setState({ nodeLookup: new Map(nodeLookup) });
  };
  setZoom = (to) => store.setState({ transform: [0, 0, to] });
  zoom = () => store.getState().transform[2];
  measure = () => {
    const nodes = [...document.querySelectorAll<HTMLDivElement>('.react-flow__node')].map((element) => [element.dataset.id!, { id: element.dataset.id!, nodeElement: element, force: true }] as const);
    store.getState().updateNodeInternals(new Map(nodes));
  };
  return null;
}

async function drawn(rows: NodeStatusRowView[]) {
  const { view, overlay } = await renderCanvas(topology, overlayState(1, rows), <FlowControl />);
  await vi.waitFor(() => expect(view.container.querySelectorAll('.root-node')).toHaveLength(3));
  act(() => measure());
  // Measured, the canvas fits its view (at most 1.2): the tests start once it has, at full detail.
  await vi.waitFor(() => expect(zoom()).toBe(1.2));
  const receive = (revision: number, next: NodeStatusRowView[]) => act(() => overlay.getState().actions.receiveEvent(overlayState(revision, next)));
  return { view, receive };
}

const rootCard = (view: ReturnType<typeof render>, id: string) => view.container.querySelector<HTMLElement>(`.react-flow__node[data-id="${id}"]`)!;
const edgePath = (view: ReturnType<typeof render>, id: string) => view.container.querySelector(`[data-id="${id}"] .react-flow__edge-path`);

describe('clients on the graph', () => {
  it('shows a root’s clients of its capacity: its own count, else its leaves’ sum; nothing while nobody says', async () => {
    const { view } = await drawn([
      root(1),
      leaf(1, 1, { clientsConnected: 40 }),
      leaf(1, 2, { clientsConnected: 25 }),
      leaf(1, 3),
      root(2, { clientsConnected: 7 }),
      leaf(2, 1, { clientsConnected: 3 }),
      root(3),
      leaf(3, 1),
    ]);
    expect(within(rootCard(view, 'root-1')).getByTestId('root-clients').textContent).toBe('65 of 250 clients connected');
    expect(within(rootCard(view, 'root-2')).getByTestId('root-clients').textContent).toBe('7 of 100 clients connected');
    expect(within(rootCard(view, 'root-3')).queryByTestId('root-clients')).toBeNull();
    // The capacity line stays what the topology says.
    expect(rootCard(view, 'root-1').querySelector('.root-node-counts')?.textContent).toBe('250 clients · 3 leaves');
  });

  it('shows each leaf’s clients once its leaves are opened, and its capacity where it reports none', async () => {
    const { view } = await drawn([root(1), leaf(1, 1, { clientsConnected: 40 }), leaf(1, 2, { clientsConnected: 0 }), leaf(1, 3)]);
    await userEvent.click(within(rootCard(view, 'root-1')).getByRole('button', { name: 'Show leaves', hidden: true }));
    const clients = [...rootCard(view, 'root-1').querySelectorAll('.leaf-clients')].map((c) => c.textContent);
    expect(clients).toEqual(['40 of 100 clients connected', '0 of 100 clients connected', 'up to 50 clients']);
  });

  it('redraws the one root whose clients changed', async () => {
    const { receive } = await drawn([root(1), leaf(1, 1, { clientsConnected: 40 }), root(2), root(3)]);
    const before = new Map(renders);
    receive(2, [root(1), leaf(1, 1, { clientsConnected: 41 }), root(2), root(3)]);
    expect(drawnSince(before, ['root-1', 'root-2', 'root-3'])).toEqual({ 'root-1': 1, 'root-2': 0, 'root-3': 0 });
    expect(screen.getByText('41 of 250 clients connected')).toBeTruthy();
  });
});

describe('tunnel states on the graph', () => {
  const tunnels = (...states: Array<[number, 'up' | 'down' | 'connecting']>) => ({ tunnels: states.map(([peer, state]) => ({ peer, state })) });

  it('draws each tunnel in its state, with the word on hover, and as today when neither end reports', async () => {
    const { view } = await drawn([root(1, tunnels([2, 'up'])), root(2, tunnels([1, 'up'], [3, 'connecting'])), root(3)]);
    await vi.waitFor(() => expect(edgePath(view, 'tunnel-1-2')).not.toBeNull());
    expect(edgePath(view, 'tunnel-1-2')?.getAttribute('class')).toContain('tunnel-up');
    expect(view.container.querySelector('[data-id="tunnel-1-2"] title')?.textContent).toBe('Tunnel ● up');
    expect(edgePath(view, 'tunnel-2-3')?.getAttribute('class')).toContain('tunnel-connecting');
    expect(view.container.querySelector('[data-id="tunnel-2-3"] title')?.textContent).toBe('Tunnel ⟳ connecting');
  });

  it('draws a tunnel nobody reports as before: no state, no title', async () => {
    const { view } = await drawn([root(1), root(2), root(3)]);
    await vi.waitFor(() => expect(edgePath(view, 'tunnel-1-2')).not.toBeNull());
    expect(edgePath(view, 'tunnel-1-2')?.getAttribute('class')).not.toMatch(/tunnel-(up|down|connecting)/);
    expect(view.container.querySelector('[data-id="tunnel-1-2"] title')).toBeNull();
  });

  it('turns a tunnel down when one end says so, redrawing that tunnel and no other', async () => {
    const { view, receive } = await drawn([root(1, tunnels([2, 'up'])), root(2, tunnels([1, 'up'], [3, 'up'])), root(3, tunnels([2, 'up']))]);
    await vi.waitFor(() => expect(edgePath(view, 'tunnel-2-3')).not.toBeNull());
    const before = new Map(renders);
    receive(2, [root(1, tunnels([2, 'up'])), root(2, tunnels([1, 'up'], [3, 'up'])), root(3, tunnels([2, 'down']))]);
    expect(edgePath(view, 'tunnel-2-3')?.getAttribute('class')).toContain('tunnel-down');
    expect(view.container.querySelector('[data-id="tunnel-2-3"] title')?.textContent).toBe('Tunnel ▼ down');
    expect(drawnSince(before, ['tunnel-1-2', 'tunnel-2-3', 'root-1', 'root-2', 'root-3'])).toEqual({ 'tunnel-1-2': 0, 'tunnel-2-3': 1, 'root-1': 0, 'root-2': 0, 'root-3': 0 });
  });
});

describe('measuring again', () => {
  it('redraws no tunnel for an end moved by a few millionths of a pixel, and the tunnel whose end really moved', async () => {
    const { view } = await drawn([root(1), root(2), root(3)]);
    await vi.waitFor(() => expect(edgePath(view, 'tunnel-2-3')).not.toBeNull());
    const before = new Map(renders);
    act(() => nudge('root-3', 0.000003));
    expect(drawnSince(before, ['tunnel-1-2', 'tunnel-2-3'])).toEqual({ 'tunnel-1-2': 0, 'tunnel-2-3': 0 });
    act(() => nudge('root-3', 5));
    expect(drawnSince(before, ['tunnel-1-2', 'tunnel-2-3'])).toEqual({ 'tunnel-1-2': 0, 'tunnel-2-3': 1 });
  });
});

describe('the level of detail follows the zoom', () => {
  it('draws compact cards (name, status, clients) below half size, and redraws only when the zoom crosses that line', async () => {
    const { view } = await drawn([root(1, { clientsConnected: 5 }), root(2), root(3)]);
    expect(rootCard(view, 'root-1').querySelector('.root-node-overlay')?.textContent).toBe('10.1.0.0/16');
    act(() => setZoom(0.3));
    const card = rootCard(view, 'root-1');
    expect(card.querySelector('.root-node')?.classList.contains('compact')).toBe(true);
    expect(card.querySelector('.root-node-overlay')).toBeNull();
    expect(card.querySelector('.root-node-name')?.textContent).toBe('cloud-1');
    expect(within(card).getByTestId('root-status').textContent).toContain('alive');
    expect(within(card).getByTestId('root-clients').textContent).toBe('5 of 250 clients connected');
    const before = new Map(renders);
    act(() => setZoom(0.2));
    expect(drawnSince(before, ['root-1', 'root-2', 'root-3'])).toEqual({ 'root-1': 0, 'root-2': 0, 'root-3': 0 });
    act(() => setZoom(0.8));
    expect(rootCard(view, 'root-1').querySelector('.root-node-overlay')?.textContent).toBe('10.1.0.0/16');
  });

  it('draws far roots as blocks in their status’s colour and icon, with all the card said on hover', async () => {
    const { view } = await drawn([root(1, { clientsConnected: 5 }), root(2, { status: 'failed', reason: 'no route to root-1' }), root(3)]);
    act(() => setZoom(0.1));
    const card = rootCard(view, 'root-1');
    expect(card.querySelector('.root-node')?.className).toBe('root-node far status-good');
    expect(card.querySelector('.root-node-name')).toBeNull();
    expect(within(card).getByTestId('root-status').textContent).toBe('●');
    expect(within(card).getByRole('img', { name: 'alive', hidden: true })).toBeTruthy();
    expect(card.querySelector('.root-node-connect')?.getAttribute('title')).toBe('cloud-1 · alive · 5 of 250 clients connected');
    expect(rootCard(view, 'root-2').querySelector('.root-node-connect')?.getAttribute('title')).toBe('cloud-2 · failed: no route to root-1');
    act(() => setZoom(0.3));
    expect(rootCard(view, 'root-1').querySelector('.root-node-name')?.textContent).toBe('cloud-1');
  });
});
