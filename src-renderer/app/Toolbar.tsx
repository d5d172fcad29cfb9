// The bar above the canvas: add a root, undo and redo (also by keyboard), import and export the topology file, cancel all
// changes (none of the edits while a deploy is under way), what the plan holds and a deploy would change, the overlay's
// part (who is logged in, Deploy, Log out), the help, and showing or hiding the side panel.
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { HelpDialog } from '../dialogs/HelpDialog.tsx';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked, selectScreen } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { useAddRootInView } from '../canvas/useAddRootInView.ts';
import { describeChanges } from '../store/pendingChangesText.ts';
import { count } from '../../src-shared/text/count.ts';
import { selectActions, selectCanRedo, selectCanUndo, selectChanges, selectDeploySummary, selectPlan } from '../store/selectors.ts';
import { FileButtons } from './FileButtons.tsx';
import { historyShortcut, isTextField } from './historyShortcut.ts';
import { OverlayBar } from './OverlayBar.tsx';

export interface ToolbarProps {
  panelOpen: boolean;
  onTogglePanel(): void;
}

export function Toolbar({ panelOpen, onTogglePanel }: ToolbarProps) {
  const actions = useEditor(selectActions);
  const addRoot = useAddRootInView();
  const plan = useEditor(selectPlan);
  const canUndo = useEditor(selectCanUndo);
  const canRedo = useEditor(selectCanRedo);
  const changes = useEditor(selectChanges);
  const deploySummary = useEditor(selectDeploySummary);
  const blocked = useOverlay(selectEditingBlocked) !== null;
  // The login view has no drawing to edit.
  const editing = useOverlay(selectScreen) !== 'login';
  const [cancelling, setCancelling] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
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

  const summary = plan?.summary;

  return (
    <header className="toolbar">
      <span className="brand">Raincoat</span>
      {editing && (
        <div className="toolbar-group" role="group" aria-label="Editing">
          <button
            type="button"
            disabled={!addRoot || blocked}
            onClick={() => addRoot?.()}
          >
            Add root
          </button>
          <button type="button" className="icon" aria-label="Undo" disabled={!canUndo || blocked} title="Undo (Ctrl+Z)" onClick={() => void actions.undo()}>
            <span aria-hidden="true">↶</span>
          </button>
          <button type="button" className="icon" aria-label="Redo" disabled={!canRedo || blocked} title="Redo (Ctrl+Shift+Z or Ctrl+Y)" onClick={() => void actions.redo()}>
            <span aria-hidden="true">↷</span>
          </button>
          <FileButtons blocked={blocked} />
          <button
            type="button"
            disabled={!changes?.deployed || changes.count === 0 || blocked}
            title="Back to the deployed topology"
            onClick={() => setCancelling(true)}
          >
            Cancel all changes…
          </button>
        </div>
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
      <button type="button" className="icon" aria-label="Help" title="What a root, a leaf and a tunnel are; the keys" onClick={() => setHelpOpen(true)}>
        <span aria-hidden="true">?</span>
      </button>
      {editing && (
        <button type="button" className="icon" aria-label="Side panel" aria-pressed={panelOpen} aria-controls="side-panel" title={panelOpen ? 'Hide the side panel' : 'Show the side panel'} onClick={onTogglePanel}>
          <span aria-hidden="true">▥</span>
        </button>
      )}
      {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
    </header>
  );
}
