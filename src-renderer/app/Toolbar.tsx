// The bar above the canvas: open a topology file, add a root, undo and redo (also by keyboard), cancel all changes (none of
// them while a deploy is under way), what the plan holds and a deploy would change, and the overlay's part (who is logged
// in, Deploy, Log out).
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked, selectScreen } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { suggestRoot } from '../store/edits.ts';
import { describeChanges } from '../store/pendingChangesText.ts';
import { count } from '../../src-shared/text/count.ts';
import { selectActions, selectCanRedo, selectCanUndo, selectChanges, selectDeploySummary, selectPlan, selectTopology } from '../store/selectors.ts';
import { historyShortcut, isTextField } from './historyShortcut.ts';
import { OverlayBar } from './OverlayBar.tsx';

export function Toolbar() {
  const actions = useEditor(selectActions);
  const topology = useEditor(selectTopology);
  const plan = useEditor(selectPlan);
  const canUndo = useEditor(selectCanUndo);
  const canRedo = useEditor(selectCanRedo);
  const changes = useEditor(selectChanges);
  const deploySummary = useEditor(selectDeploySummary);
  const blocked = useOverlay(selectEditingBlocked) !== null;
  // The login view has no drawing to edit.
  const editing = useOverlay(selectScreen) !== 'login';
  const [path, setPath] = useState('');
  const [cancelling, setCancelling] = useState(false);
  const historyOpen = editing && !blocked;

  useEffect(() => {
    if (!historyOpen) return;
    const onKey = (event: KeyboardEvent) => {
      const step = historyShortcut(event, isTextField(event.target));
      if (step === null) return;
      event.preventDefault();
      void (step === 'undo' ? actions.undo() : actions.redo());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, historyOpen]);

  const open = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() !== '' && (await actions.open(path.trim()))) setPath('');
  };
  const summary = plan?.summary;

  return (
    <header className="toolbar">
      <span className="brand">Raincoat</span>
      {editing && (
        <>
          <form className="open-form" onSubmit={open}>
            <input aria-label="Topology file" placeholder="/path/to/topology.json" value={path} disabled={blocked} onChange={(e) => setPath(e.target.value)} />
            <button type="submit" disabled={blocked}>
              Open
            </button>
          </form>
          <button
            type="button"
            disabled={!topology || blocked}
            onClick={() => topology && actions.select({ kind: 'new-root', draft: suggestRoot(topology, changes?.roots.deleted) })}
          >
            Add root
          </button>
          <button type="button" disabled={!canUndo || blocked} title="Ctrl+Z" onClick={() => void actions.undo()}>
            Undo
          </button>
          <button type="button" disabled={!canRedo || blocked} title="Ctrl+Shift+Z or Ctrl+Y" onClick={() => void actions.redo()}>
            Redo
          </button>
          <button
            type="button"
            disabled={!changes?.deployed || changes.count === 0 || blocked}
            title="Back to the deployed topology"
            onClick={() => setCancelling(true)}
          >
            Cancel all changes…
          </button>
        </>
      )}
      {cancelling && changes && (
        <ConfirmDialog
          title={`Drop all ${count(changes.count, 'pending change')}?`}
          message={`The pending topology goes back to the deployed one: ${describeChanges(changes)}. Undo brings them back.`}
          confirmLabel={`Drop ${count(changes.count, 'change')}`}
          onCancel={() => setCancelling(false)}
          onConfirm={() => {
            setCancelling(false);
            void actions.cancelChanges();
          }}
        />
      )}
      <span className="spacer" />
      {editing && summary && (
        <span className="summary" data-testid="plan-summary">
          {count(summary.roots, 'root')} · {count(summary.tunnels, 'tunnel')} · {count(summary.leaves, 'leaf', 'leaves')} ·{' '}
          {count(summary.clientCapacity, 'client')}
        </span>
      )}
      {editing && deploySummary && <span className="deploy-summary">{deploySummary}</span>}
      <OverlayBar />
    </header>
  );
}
