// Why a tunnel drawn on the canvas was refused, in main's words, over the drawing where the administrator is looking.
import { Panel } from '@xyflow/react';
import { useEditor } from '../store/EditorContext.tsx';
import { selectActions, selectRefusal } from '../store/selectors.ts';

export function RefusalToast() {
  const refusal = useEditor(selectRefusal);
  const actions = useEditor(selectActions);
  if (!refusal?.tunnel) return null;
  return (
    <Panel position="bottom-center" className="canvas-toast" role="alert">
      <span>Tunnel not added: {refusal.reason.replace(/\.$/, '')}.</span>
      <button type="button" aria-label="Dismiss" onClick={actions.dismissRefusal}>
        ×
      </button>
    </Panel>
  );
}
