// The panel beside the canvas: a deploy's progress; the selected root's form, status and plan, a new root's form, a tunnel, or
// a hint with the overlay's status; and what the last refused change got wrong.
import { useMemo } from 'react';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectDeployPlace } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import type { Selection } from '../store/editorStore.ts';
import type { DraftRoot } from '../store/edits.ts';
import { placeProblems } from '../store/fieldProblems.ts';
import { selectPlan, selectRefusal, selectSelection, selectStoredIn, selectTopology } from '../store/selectors.ts';
import { DeployPanel } from './DeployPanel.tsx';
import { OverlayStatus } from './OverlayStatus.tsx';
import { PlanTable } from './PlanTable.tsx';
import { ProblemList } from './ProblemList.tsx';
import { RootForm } from './RootForm.tsx';
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

export function SidePanel() {
  const topology = useEditor(selectTopology);
  const plan = useEditor(selectPlan);
  const selection = useEditor(selectSelection);
  const refusal = useEditor(selectRefusal);
  const storedIn = useEditor(selectStoredIn);
  const deployPlace = useOverlay(selectDeployPlace);
  const shown = useMemo(() => (topology ? shownRoot(topology, selection) : null), [topology, selection]);
  const placed = useMemo(() => placeProblems(refusal?.problems ?? [], shown?.index ?? null), [refusal, shown]);
  if (!topology || !plan) return <aside className="side-panel" />;
  const rootPlan = shown && !shown.isNew ? plan.roots.find((r) => r.rootId === shown.root.id) : undefined;

  return (
    <aside className="side-panel">
      {deployPlace === 'panel' && <DeployPanel />}
      {refusal && <ProblemList reason={refusal.reason} problems={placed.elsewhere} />}
      {shown && <RootForm key={formKey(shown.root)} topology={topology} initial={shown.root} isNew={shown.isNew} problems={placed.byField} />}
      {shown && !shown.isNew && <OverlayStatus rootId={shown.root.id} />}
      {rootPlan && <PlanTable plan={rootPlan} />}
      {selection.kind === 'tunnel' && <TunnelPanel topology={topology} a={selection.a} b={selection.b} />}
      {selection.kind === 'none' && (
        <div className="hint">
          <p>Select a root to edit it and see its address plan.</p>
          <p>Drag from one root's handle to another root to add a tunnel.</p>
          <p className="muted">Every change is kept in {storedIn}.</p>
        </div>
      )}
      {selection.kind === 'none' && <OverlayStatus rootId={null} />}
    </aside>
  );
}
