// The bar above the canvas: open a topology file, add a root, undo, and what the plan holds and a deploy would change.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useEditor } from '../store/EditorContext.tsx';
import { suggestRoot } from '../store/edits.ts';
import { count } from '../../src-shared/text/count.ts';
import { selectActions, selectCanUndo, selectDeploySummary, selectPlan, selectTopology } from '../store/selectors.ts';

export function Toolbar() {
  const actions = useEditor(selectActions);
  const topology = useEditor(selectTopology);
  const plan = useEditor(selectPlan);
  const canUndo = useEditor(selectCanUndo);
  const deploySummary = useEditor(selectDeploySummary);
  const [path, setPath] = useState('');

  const open = async (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() !== '' && (await actions.open(path.trim()))) setPath('');
  };
  const summary = plan?.summary;

  return (
    <header className="toolbar">
      <span className="brand">Raincoat</span>
      <form className="open-form" onSubmit={open}>
        <input aria-label="Topology file" placeholder="/path/to/topology.json" value={path} onChange={(e) => setPath(e.target.value)} />
        <button type="submit">Open</button>
      </form>
      <button type="button" disabled={!topology} onClick={() => topology && actions.select({ kind: 'new-root', draft: suggestRoot(topology) })}>
        Add root
      </button>
      <button type="button" disabled={!canUndo} onClick={() => void actions.undo()}>
        Undo
      </button>
      <span className="spacer" />
      {summary && (
        <span className="summary" data-testid="plan-summary">
          {count(summary.roots, 'root')} · {count(summary.tunnels, 'tunnel')} · {count(summary.leaves, 'leaf', 'leaves')} ·{' '}
          {count(summary.clientCapacity, 'client')}
        </span>
      )}
      {deploySummary && <span className="deploy-summary">{deploySummary}</span>}
    </header>
  );
}
