// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeStatusRowView, OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { OverlayProvider } from '../overlay/OverlayContext.tsx';
import type { OverlayApi } from '../overlay/overlayStore.ts';
import { createOverlayStore } from '../overlay/overlayStore.ts';
import { EditorProvider } from '../store/EditorContext.tsx';
import { createEditorStore } from '../store/editorStore.ts';
import { fakeMain } from './editorHarness.testkit.tsx';
import { OverlayStatus } from './OverlayStatus.tsx';

afterEach(cleanup);

const root = (id: number): NodeStatusRowView => ({ id, kind: 'root', name: `root-${id}`, status: 'alive', lastHeartbeat: 1000, topologyId: 't1' });

async function shown(count: number) {
  const state: OverlayState = {
    overlay: { name: 'big', entry: 'root-1', entryUrl: 'https://127.0.0.1:1', sandbox: true, nodes: count },
    session: { phase: 'in', user: 'administrator', entry: 'root-1', expiresAt: 0, expiring: false },
    status: { nodes: Array.from({ length: count }, (_, i) => root(i + 1)), readAt: 1000, problem: null },
    deploy: null,
    keys: 'open',
    revision: 1,
  };
  const overlay = createOverlayStore({ 'overlay.get': async () => state } as unknown as OverlayApi);
  await overlay.getState().actions.load();
  const editor = createEditorStore(fakeMain({ roots: [], tunnels: [] }).api);
  render(
    <EditorProvider store={editor}>
      <OverlayProvider store={overlay}>
        <OverlayStatus rootId={null} />
      </OverlayProvider>
    </EditorProvider>,
  );
  return () => screen.getByRole('region', { name: 'Status of the overlay' }).querySelectorAll('tbody tr').length;
}

describe('OverlayStatus of the whole overlay', () => {
  it('lists every node of a small overlay, with nothing more to show', async () => {
    const rows = await shown(100);
    expect(rows()).toBe(100);
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });

  it('lists the first 100 nodes of a large one until asked for all', async () => {
    const rows = await shown(2500);
    expect(rows()).toBe(100);
    await userEvent.click(screen.getByRole('button', { name: 'Show all 2500 nodes' }));
    expect(rows()).toBe(2500);
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });
});
