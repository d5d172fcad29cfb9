// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PendingChanges } from '../../src-shared/contract/contract.ts';
import { fakeMain, renderInEditor, sampleRoot } from '../panels/editorHarness.testkit.tsx';
import { FileButtons } from './FileButtons.tsx';
import { FilesProvider } from './FilesContext.tsx';
import type { ImportOutcome, TopologyFiles } from './topologyFiles.ts';

afterEach(cleanup);

const start = { roots: [sampleRoot(1, 'aws-east'), sampleRoot(2, 'gcp')], tunnels: [{ a: 1, b: 2 }] };
const twoAdded: PendingChanges = { deployed: true, roots: { added: [2], changed: [], moved: [], deleted: [] }, tunnels: { added: [{ a: 1, b: 2 }], deleted: [] }, count: 2 };

async function buttons(changes: PendingChanges | undefined, outcome: ImportOutcome) {
  const files: TopologyFiles = { importTopology: vi.fn(async () => outcome), exportTopology: vi.fn(async () => '/home/a/topology.json') };
  const main = fakeMain(start, changes);
  await renderInEditor(
    main,
    <FilesProvider value={files}>
      <FileButtons blocked={false} />
    </FilesProvider>,
  );
  return { files, main, user: userEvent.setup() };
}

describe('import and export buttons', () => {
  it('asks before an import replaces pending changes, and imports nothing when told not to', async () => {
    const { files, user } = await buttons(twoAdded, { kind: 'imported' });
    await user.click(screen.getByRole('button', { name: 'Import…' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Replace the pending topology?' });
    expect(dialog.textContent).toContain('replaces the pending topology and its 2 pending changes (1 root added, 1 tunnel added). Undo brings them back.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(files.importTopology).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Import…' }));
    await user.click(screen.getByRole('button', { name: 'Choose a file…' }));
    expect(files.importTopology).toHaveBeenCalledTimes(1);
    expect((await screen.findByRole('status')).textContent).toContain('Topology imported');
  });

  it('shows every problem of a refused file in words, and says nothing changed', async () => {
    const problems = [
      { path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps the overlay of root 1 (aws-east)' },
      { path: 'tunnels[2].b', message: 'root 7 does not exist' },
    ];
    const { main, user } = await buttons(undefined, { kind: 'refused', reason: 'mine.json not opened: 2 problems; the pending topology is unchanged', problems });
    await user.click(screen.getByRole('button', { name: 'Import…' }));
    const dialog = await screen.findByRole('dialog', { name: 'The file was not imported' });
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Root 2 in the list, overlay: 10.1.0.0/16 overlaps the overlay of root 1 (aws-east).',
      'Tunnel 3 in the list, second root: Root 7 does not exist.',
    ]);
    expect(dialog.textContent).toContain('the topology you have is as it was');
    expect(main.sent).toEqual([]);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says where an export went', async () => {
    const { files, user } = await buttons(undefined, { kind: 'cancelled' });
    await user.click(screen.getByRole('button', { name: 'Export…' }));
    expect(files.exportTopology).toHaveBeenCalledWith(start);
    expect((await screen.findByRole('status')).textContent).toContain('Topology exported to /home/a/topology.json.');
  });
});
