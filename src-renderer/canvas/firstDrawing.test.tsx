// @vitest-environment happy-dom
// The first drawing of an overlay large enough to be drawn far out: React Flow is told each root's size before it
// measures, and draws every root with its tunnels at once instead of hiding the roots until it has measured them.
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { renderCanvas } from './canvasHarness.testkit.tsx';
import { ROOT_SIZE } from './rootBox.ts';

// happy-dom lays nothing out and its ResizeObserver never reports: React Flow measures nothing here. The canvas has a room.
beforeAll(() => {
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(() => 1000);
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => 800);
});
afterAll(() => vi.restoreAllMocks());
afterEach(cleanup);

const root = (id: number, x: number) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 100, position: { x, y: 0 } });
const tunnels = [{ a: 1, b: 2 }, { a: 2, b: 3 }];
const loggedIn: OverlayState = {
  overlay: { name: 'sandbox', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: 3 },
  session: { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false },
  status: { nodes: [1, 2, 3].map((id) => ({ id, kind: 'root' as const, name: `root-${id}`, status: 'alive' as const, lastHeartbeat: 1000, topologyId: 't1' })), readAt: 1000, problem: null },
  deploy: null,
  keys: 'open',
  revision: 1,
};
const shown = (view: Awaited<ReturnType<typeof renderCanvas>>['view']) => ({
  visible: [...view.container.querySelectorAll<HTMLElement>('.react-flow__node')].filter((n) => n.style.visibility !== 'hidden').length,
  statuses: view.container.querySelectorAll('[data-testid="root-status"]').length,
  tunnels: view.container.querySelectorAll('.react-flow__edge-path').length,
});

describe('the first drawing', () => {
  it('far out (roots 6,000 px apart in 1,000 px): every root at the reserved size, with its status and tunnels, unmeasured', async () => {
    const { view, editor } = await renderCanvas({ roots: [root(1, 0), root(2, 3000), root(3, 6000)], tunnels }, loggedIn);
    await vi.waitFor(() => expect(shown(view)).toEqual({ visible: 3, statuses: 3, tunnels: 2 }));
    expect(view.container.querySelectorAll('.root-node.far')).toHaveLength(3);
    expect(editor.getState().nodes.map((n) => n.measured)).toEqual([ROOT_SIZE, ROOT_SIZE, ROOT_SIZE]);
  });

  it('closer (roots 300 px apart): the roots wait for React Flow to measure them, as React Flow draws', async () => {
    const { view, editor } = await renderCanvas({ roots: [root(1, 0), root(2, 300), root(3, 600)], tunnels }, loggedIn);
    await vi.waitFor(() => expect(view.container.querySelectorAll('.react-flow__node')).toHaveLength(3));
    expect(shown(view)).toEqual({ visible: 0, statuses: 3, tunnels: 0 });
    expect(editor.getState().nodes.map((n) => n.measured)).toEqual([undefined, undefined, undefined]);
  });
});
