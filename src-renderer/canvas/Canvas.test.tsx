// @vitest-environment happy-dom
import { act, cleanup } from '@testing-library/react';
import type { NodeProps } from '@xyflow/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import type { NodeState } from '../../src-shared/protocol/messages.ts';
import { renderCanvas } from './canvasHarness.testkit.tsx';
import { drawnSince, renders } from './countedViews.testkit.ts';
import type { RootNode } from './toFlow.ts';

/** The real root view, its drawings counted by node id. */
vi.mock('./RootNodeView.tsx', async (importOriginal) => ({
  RootNodeView: (await import('./countedViews.testkit.ts')).counted<NodeProps<RootNode>>((await importOriginal<{ RootNodeView: unknown }>()).RootNodeView),
}));

afterEach(() => {
  cleanup();
  renders.clear();
});

const placed = (id: number) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 150, position: { x: 300 * id, y: 0 } });
const topology = { roots: [placed(1), placed(2), placed(3)], tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }] };

function overlayState(revision: number, states: Record<string, NodeState>, heardAt: number): OverlayState {
  return {
    overlay: { name: 'sandbox', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: 3 },
    session: { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false },
    status: {
      nodes: Object.entries(states).map(([name, status]) => ({ id: name, kind: 'root' as const, name, status, lastHeartbeat: heardAt, topologyId: 't1' })),
      readAt: heardAt,
      problem: null,
    },
    deploy: null,
    keys: 'open',
    revision,
  };
}

async function drawn() {
  const { view, editor, overlay } = await renderCanvas(topology, overlayState(1, { 'root-1': 'alive', 'root-2': 'alive', 'root-3': 'alive' }, 1000));
  await vi.waitFor(() => expect(view.container.querySelectorAll('.root-node')).toHaveLength(3));
  return { view, editor, overlay };
}

/** Renders per root since `before`. */
const since = (before: Map<string, number>) => drawnSince(before, ['root-1', 'root-2', 'root-3']);

describe('the canvas redraws only the roots a change touched', () => {
  it('a heartbeat that turns one root down redraws that root alone', async () => {
    const { view, overlay } = await drawn();
    const before = new Map(renders);
    act(() => overlay.getState().actions.receiveEvent(overlayState(2, { 'root-1': 'alive', 'root-2': 'down', 'root-3': 'alive' }, 2000)));
    expect(since(before)).toEqual({ 'root-1': 0, 'root-2': 1, 'root-3': 0 });
    expect(view.container.querySelector('[data-id="root-2"] [data-testid="root-status"]')?.textContent).toContain('down');
    const steady = new Map(renders);
    act(() => overlay.getState().actions.receiveEvent(overlayState(3, { 'root-1': 'alive', 'root-2': 'down', 'root-3': 'alive' }, 3000)));
    expect(since(steady)).toEqual({ 'root-1': 0, 'root-2': 0, 'root-3': 0 });
  });

  it('dragging one root redraws no other', async () => {
    const { editor } = await drawn();
    const before = new Map(renders);
    act(() => editor.getState().actions.changeNodes([{ type: 'position', id: 'root-3', position: { x: 950, y: 40 }, dragging: true }]));
    act(() => editor.getState().actions.changeNodes([{ type: 'position', id: 'root-3', position: { x: 980, y: 60 }, dragging: true }]));
    const counts = since(before);
    expect([counts['root-1'], counts['root-2']]).toEqual([0, 0]);
  });

  it('selecting a root redraws it and no other', async () => {
    const { editor } = await drawn();
    const before = new Map(renders);
    act(() => editor.getState().actions.select({ kind: 'root', id: 1 }));
    expect(since(before)).toEqual({ 'root-1': 1, 'root-2': 0, 'root-3': 0 });
  });
});
