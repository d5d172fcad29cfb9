// @vitest-environment happy-dom
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { fakeMain, renderInEditor, sampleRoot } from './editorHarness.testkit.tsx';
import type { Selection } from '../store/editorStore.ts';
import { SidePanel } from './SidePanel.tsx';

const start: Topology = { roots: [sampleRoot(1, 'aws-east'), sampleRoot(2, 'euca-lab'), sampleRoot(3, 'on-prem')], tunnels: [{ a: 1, b: 2 }, { a: 3, b: 1 }] };

afterEach(cleanup);

async function panelWith(selected: number) {
  const main = fakeMain(start);
  const rendered = await renderInEditor(main, <SidePanel />);
  act(() => rendered.actions.select({ kind: 'root', id: selected }));
  return { main, ...rendered, user: userEvent.setup() };
}

const field = (name: string) => document.querySelector(`[data-field="${name}"]`) as HTMLElement;

describe('the side panel', () => {
  it('shows a problem at its field in words as it is typed, before anything is sent', async () => {
    const { main, user } = await panelWith(3);
    const overlay = within(field('overlay')).getByRole('textbox');
    await user.clear(overlay);
    await user.type(overlay, '10.1.0.0/16');
    expect(within(field('overlay')).getByRole('alert').textContent).toBe('10.1.0.0/16 overlaps the overlay of root 1 (aws-east).');
    expect(overlay.getAttribute('aria-invalid')).toBe('true');
    expect(field('name').querySelector('[role=alert]')).toBeNull();
    expect(main.sent).toEqual([]);
  });

  it('presets the NAT question by the cloud chosen and saves only an answer that differs from it', async () => {
    const { main, user } = await panelWith(3);
    const nat = screen.getByRole('checkbox', { name: /mapped onto a private address/ }) as HTMLInputElement;
    expect(nat.checked).toBe(false);
    await user.selectOptions(within(field('cloud')).getByRole('combobox'), 'azure');
    expect(nat.checked).toBe(true);
    await user.selectOptions(within(field('cloud')).getByRole('combobox'), 'existing');
    expect(nat.checked).toBe(false);
    await user.click(nat);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(main.sent.at(-1)).toMatchObject({ kind: 'editRoot', id: 3, changes: { cloud: { provider: 'existing', natted: true } } });
  });

  it('shows the refusal in words, without paths, when main refuses a save', async () => {
    const { main, user } = await panelWith(3);
    main.answer(() => ({ ok: false, reason: 'root 3 (on-prem) not saved: 1 problem; the pending topology is unchanged', problems: [{ path: 'tunnels[1]', message: 'there is already a tunnel between root 3 (on-prem) and root 1 (aws-east)' }] }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const refusal = await screen.findByText('Root 3 (on-prem) not saved: 1 problem; the pending topology is unchanged.');
    expect(refusal.closest('.refusal')?.textContent).toContain('Tunnel 2 in the list: There is already a tunnel between root 3 (on-prem) and root 1 (aws-east).');
    expect(document.body.textContent).not.toMatch(/tunnels\[\d\]/);
  });

  it('asks before an unsaved edit is left for another root, and keeps it when asked to', async () => {
    const { actions, editor, user } = await panelWith(3);
    const overlay = within(field('overlay')).getByRole('textbox');
    await user.clear(overlay);
    await user.type(overlay, '10.1.0.0/16');
    act(() => actions.select({ kind: 'root', id: 2 }));
    const dialog = screen.getByRole('alertdialog', { name: 'Discard your changes to on-prem?' });
    expect(dialog.textContent).toContain('Your changes to the overlay of on-prem are not saved, and have problems to fix before they can be.');
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(editor.getState().selection).toEqual({ kind: 'root', id: 3 });
    expect(within(field('overlay')).getByRole('textbox')).toHaveProperty('value', '10.1.0.0/16');

    act(() => actions.select({ kind: 'none' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Discard changes' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByRole('form')).toBeNull();
    act(() => actions.select({ kind: 'root', id: 3 }));
    expect(within(field('overlay')).getByRole('textbox')).toHaveProperty('value', '10.3.0.0/16');
  });

  it('moves on without asking when nothing was changed', async () => {
    const { actions } = await panelWith(3);
    act(() => actions.select({ kind: 'root', id: 2 }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('form', { name: 'Root euca-lab' })).toBeTruthy();
  });

  it('deletes a root by the Delete key only after a confirmation naming what goes with it', async () => {
    const { main, editor, user } = await panelWith(1);
    main.answer((command) => (command.kind === 'deleteRoot' ? main.store({ roots: start.roots.slice(1), tunnels: [] }) : { ok: false, reason: 'no', problems: [] }));
    await user.keyboard('{Delete}');
    const dialog = screen.getByRole('alertdialog', { name: 'Delete aws-east?' });
    expect(dialog.textContent).toContain('leaves the pending topology with its 2 leaves (room for 150 clients) and its 2 tunnels to euca-lab and on-prem.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(main.sent).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Delete…' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete root' }));
    expect(main.sent).toEqual([{ kind: 'deleteRoot', id: 1 }]);
    await expect.poll(() => editor.getState().selection).toEqual({ kind: 'none' });
  });

  it('lets go of the selection on Escape', async () => {
    const { editor, user } = await panelWith(2);
    await user.keyboard('{Escape}');
    expect(editor.getState().selection).toEqual({ kind: 'none' });
  });

  it.each<[string, Selection, string | null, () => HTMLElement]>([
    ['a tunnel', { kind: 'tunnel', a: 3, b: 1 }, 'Nothing changed: on-prem ↔ aws-east is still selected.', () => screen.getByRole('region', { name: 'Tunnel on-prem ↔ aws-east' })],
    ['a root', { kind: 'root', id: 3 }, 'Nothing changed: on-prem is still selected.', () => screen.getByRole('form', { name: 'Root on-prem' })],
    ['nothing', { kind: 'none' }, null, () => screen.getByText('Select a root to edit it and see its address plan.')],
  ])('says which tunnel a refused drag was, and that %s selected before stays so', async (_what, selected, still, shownBelow) => {
    const main = fakeMain(start);
    const { actions } = await renderInEditor(main, <SidePanel />);
    act(() => actions.select(selected));
    main.answer(() => ({ ok: false, reason: 'there is already a tunnel between root 2 (euca-lab) and root 1 (aws-east)', problems: [] }));
    await act(() => actions.connect(2, 1));
    const refusal = screen.getByRole('alert');
    expect(refusal.querySelector('.refusal-reason')?.textContent).toBe('Tunnel euca-lab ↔ aws-east not added: there is already a tunnel between root 2 (euca-lab) and root 1 (aws-east).');
    expect(refusal.querySelector('.refusal-note')?.textContent ?? null).toBe(still);
    // What the panel shows below is the selection, as the canvas still draws it.
    expect(shownBelow()).toBeTruthy();
  });
});
