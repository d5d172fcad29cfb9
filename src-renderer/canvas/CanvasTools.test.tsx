// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import { renderCanvas } from './canvasHarness.testkit.tsx';

afterEach(cleanup);

const placed = (id: number) => ({ id, name: `cloud-${id}`, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 150, position: { x: 300 * id, y: 0 } });
const topology = { roots: [placed(1), placed(2), placed(3)], tunnels: [{ a: 1, b: 2 }] };
const loggedOut = { overlay: null, session: { phase: 'out' }, status: null, deploy: null, keys: 'open', revision: 1 } as unknown as OverlayState;

describe('the canvas tools’ search', () => {
  it('suggests every root’s name once the field is first used, and none before', async () => {
    const { view } = await renderCanvas(topology, loggedOut);
    await vi.waitFor(() => expect(view.container.querySelectorAll('.root-node')).toHaveLength(3));
    const suggestions = () => [...view.container.querySelectorAll('#canvas-root-names option')].map((o) => o.getAttribute('value'));
    expect(suggestions()).toEqual([]);
    fireEvent.focus(screen.getByRole('combobox', { name: 'Find a root by name' }));
    expect(suggestions()).toEqual(['cloud-1', 'cloud-2', 'cloud-3']);
  });
});
