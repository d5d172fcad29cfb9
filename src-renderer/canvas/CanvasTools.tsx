// The canvas's own tools, over its top left corner: find a root by name (the view moves to it and selects it), add a root
// in view, and lay the whole drawing out anew.
import { Panel, useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { useEditor } from '../store/EditorContext.tsx';
import { selectActions, selectTopology } from '../store/selectors.ts';
import { findRoot } from './findRoot.ts';
import { useAddRootInView } from './useAddRootInView.ts';

const FOCUS = { duration: 300, maxZoom: 1.2, minZoom: 0.6 } as const;

export function CanvasTools({ editable }: { editable: boolean }) {
  const actions = useEditor(selectActions);
  const topology = useEditor(selectTopology);
  const addRoot = useAddRootInView();
  const flow = useReactFlow();
  const [query, setQuery] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  // The names it suggests wait until the field is first used: 500 roots are 500 elements the first drawing need not make.
  const [suggesting, setSuggesting] = useState(false);

  const search = (event: FormEvent) => {
    event.preventDefault();
    const root = topology && findRoot(topology.roots, query);
    setMissing(root ? null : `No root is named like “${query.trim()}”.`);
    if (!root) return;
    actions.select({ kind: 'root', id: root.id });
    void flow.fitView({ ...FOCUS, nodes: [{ id: rootNodeName(root.id) }] });
  };

  return (
    <Panel position="top-left" className="canvas-tools">
      <form role="search" aria-label="Find a root" onSubmit={search} className="canvas-search">
        <input
          aria-label="Find a root by name"
          placeholder="Find a root…"
          list="canvas-root-names"
          value={query}
          onFocus={() => setSuggesting(true)}
          onChange={(e) => {
            setQuery(e.target.value);
            setMissing(null);
          }}
        />
        <datalist id="canvas-root-names">{suggesting && topology?.roots.map((r) => <option key={r.id} value={r.name} />)}</datalist>
        <button type="submit">Find</button>
      </form>
      {/* Not named "Add root": the toolbar's button and the form's own are, and a name should find one button. */}
      <button type="button" disabled={!addRoot || !editable} title="A new root in the middle of the view" onClick={() => addRoot?.()}>
        New root here
      </button>
      <button type="button" disabled={!topology || topology.roots.length === 0 || !editable} title="Lay every root out anew (undo puts them back)" onClick={() => void actions.layOut()}>
        Lay out
      </button>
      {missing && (
        <p className="canvas-search-missing" role="status">
          {missing}
        </p>
      )}
    </Panel>
  );
}
