// The bar above the canvas: open a topology file, add a root, undo (none of them while a deploy is under way), what the plan
// holds and a deploy would change, and the overlay's part (who is logged in, Deploy, Log out).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectEditingBlocked, selectScreen } from '../overlay/overlaySelectors.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { suggestRoot } from '../store/edits.ts';
import { count } from '../../src-shared/text/count.ts';
import { selectActions, selectCanUndo, selectDeploySummary, selectPlan, selectTopology } from '../store/selectors.ts';
import { OverlayBar } from './OverlayBar.tsx';

export function Toolbar() {
  const actions = useEditor(selectActions);
  const topology = useEditor(selectTopology);
  const plan = useEditor(selectPlan);
  const canUndo = useEditor(selectCanUndo);
  const deploySummary = useEditor(selectDeploySummary);
  const blocked = useOverlay(selectEditingBlocked) !== null;
  // The login view has no drawing to edit.
  const editing = useOverlay(selectScreen) !== 'login';
  const [path, setPath] = useState('');

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
          <button type="button" disabled={!topology || blocked} onClick={() => topology && actions.select({ kind: 'new-root', draft: suggestRoot(topology) })}>
            Add root
          </button>
          <button type="button" disabled={!canUndo || blocked} onClick={() => void actions.undo()}>
            Undo
          </button>
        </>
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
