// The panel beside the canvas: a deploy's progress; the selected root's form, status and plan, a new root's form, a tunnel, or
// a hint with the overlay's status; what the last refused change got wrong; and the questions before an unsaved edit is
// left behind or something is deleted (also by the Delete key; Escape lets go of the selection).
import { useEffect, useMemo, useState } from 'react';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { isTextField } from '../app/historyShortcut.ts';
import { isInDialog, selectionShortcut } from '../app/selectionShortcut.ts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectDeployPlace, selectEditingBlocked, selectLoggedIn } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import type { Selection } from '../store/editorStore.ts';
import type { DraftRoot } from '../store/edits.ts';
import { placeProblems } from '../store/fieldProblems.ts';
import { rootIsDeployed } from '../store/pendingChangesText.ts';
import { selectActions, selectChanges, selectPlan, selectRefusal, selectSelection, selectStoredIn, selectTopology } from '../store/selectors.ts';
import { ClientMachines } from './ClientMachines.tsx';
import { deleteQuestion } from './deleteQuestion.ts';
import { DeployPanel } from './DeployPanel.tsx';
import { OverlayStatus } from './OverlayStatus.tsx';
import { PlanTable } from './PlanTable.tsx';
import { ProblemList } from './ProblemList.tsx';
import { refusedTunnelWords } from './refusedTunnel.ts';
import type { FormEdit } from './RootForm.tsx';
import { RootForm } from './RootForm.tsx';
import { editStillStands, sameSelection } from './rootDraft.ts';
import { leaveQuestion } from './leaveQuestion.ts';
import { TunnelPanel } from './TunnelPanel.tsx';

/** The root the form shows and where it sits in `roots` (problem paths count from there). */
function shownRoot(topology: Topology, selection: Selection): { index: number; root: DraftRoot; isNew: boolean } | null {
  if (selection.kind === 'new-root') return { index: topology.roots.length, root: selection.draft, isNew: true };
  if (selection.kind !== 'root') return null;
  const index = topology.roots.findIndex((r) => r.id === selection.id);
  const root = topology.roots[index];
  return root ? { index, root, isNew: false } : null;
}

/** The form starts over when the stored root changes (a save, an undo), but not when it is only moved on the canvas. */
function formKey(root: DraftRoot): string {
  const { position: _ignored, ...fields } = root;
  return JSON.stringify(fields);
}

const NO_EDIT: FormEdit = { changed: [], invalid: false };

export function SidePanel() {
  const topology = useEditor(selectTopology);
  const plan = useEditor(selectPlan);
  const changes = useEditor(selectChanges);
  const selection = useEditor(selectSelection);
  const refusal = useEditor(selectRefusal);
  const storedIn = useEditor(selectStoredIn);
  const actions = useEditor(selectActions);
  const deployPlace = useOverlay(selectDeployPlace);
  const blocked = useOverlay(selectEditingBlocked) !== null;
  const loggedIn = useOverlay(selectLoggedIn);
  const [edit, setEdit] = useState<FormEdit>(NO_EDIT);
  const [deleting, setDeleting] = useState(false);
  // What the panel shows trails the store's selection while it asks whether to drop an unsaved edit: the canvas has
  // already selected what was clicked, and "Keep editing" selects the edited root again.
  const [shownSelection, setShownSelection] = useState<Selection>(selection);
  const moved = !sameSelection(selection, shownSelection);
  const losesEdit = moved && edit.changed.length > 0 && topology !== undefined && editStillStands(topology, shownSelection);
  if (moved && !losesEdit) {
    setShownSelection(selection);
    setDeleting(false);
  }

  const shown = useMemo(() => (topology ? shownRoot(topology, shownSelection) : null), [topology, shownSelection]);
  const placed = useMemo(() => placeProblems(refusal?.problems ?? [], shown?.index ?? null), [refusal, shown]);
  const question = useMemo(() => (topology && plan ? deleteQuestion(topology, plan, changes, shownSelection) : null), [topology, plan, changes, shownSelection]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const wish = selectionShortcut(event, isTextField(event.target), isInDialog(event.target));
      if (wish === 'deselect' && selection.kind !== 'none') actions.select({ kind: 'none' });
      else if (wish === 'delete' && question && !blocked) {
        event.preventDefault();
        setDeleting(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, selection, question, blocked]);

  if (!topology || !plan) return <aside className="side-panel" id="side-panel" aria-label="Details" />;
  const rootPlan = shown && !shown.isNew ? plan.roots.find((r) => r.rootId === shown.root.id) : undefined;
  const leaving = losesEdit && shown ? leaveQuestion(shown.root, shown.isNew, edit) : null;
  // A refused drag names its tunnel, so it is not read as being about the selection shown below, which stays as it was.
  const said = refusal?.tunnel ? refusedTunnelWords(topology, refusal.tunnel, refusal.reason, shownSelection) : refusal && { reason: refusal.reason, note: null };

  return (
    <aside className="side-panel" id="side-panel" aria-label="Details">
      {deployPlace === 'panel' && <DeployPanel />}
      {said && <ProblemList reason={said.reason} note={said.note} problems={placed.elsewhere} />}
      {shown && (
        <RootForm
          key={formKey(shown.root)}
          topology={topology}
          initial={shown.root}
          index={shown.index}
          isNew={shown.isNew}
          onEdit={setEdit}
          onDelete={() => setDeleting(true)}
        />
      )}
      {shown && !shown.isNew && <OverlayStatus rootId={shown.root.id} />}
      {shown && !shown.isNew && loggedIn && changes && rootIsDeployed(changes, shown.root.id) && <ClientMachines key={shown.root.id} rootId={shown.root.id} rootName={shown.root.name} />}
      {rootPlan && <PlanTable plan={rootPlan} />}
      {shownSelection.kind === 'tunnel' && <TunnelPanel topology={topology} a={shownSelection.a} b={shownSelection.b} onDelete={() => setDeleting(true)} />}
      {shownSelection.kind === 'none' && (
        <div className="hint">
          <p>Select a root to edit it and see its address plan.</p>
          <p>Drag from one root onto another to add a tunnel.</p>
          <p className="muted">Every change is kept in {storedIn}.</p>
        </div>
      )}
      {shownSelection.kind === 'none' && <OverlayStatus rootId={null} />}
      {leaving && (
        <ConfirmDialog
          {...leaving}
          cancelLabel="Keep editing"
          onCancel={() => actions.select(shownSelection)}
          onConfirm={() => {
            setEdit(NO_EDIT);
            setShownSelection(selection);
          }}
        />
      )}
      {deleting && question && !leaving && (
        <ConfirmDialog
          title={question.title}
          message={question.message}
          confirmLabel={question.confirmLabel}
          onCancel={() => setDeleting(false)}
          onConfirm={() => {
            setDeleting(false);
            void actions.command(question.command, { kind: 'none' });
          }}
        />
      )}
    </aside>
  );
}
