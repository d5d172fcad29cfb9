// "Add root", from the canvas's tools or the toolbar: opens the new root's form with the root placed in the middle of
// what the canvas shows (beside any root already there), never at a fixed spot that may be off screen or under the panel.
import { useStoreApi } from '@xyflow/react';
import { useEditor } from '../store/EditorContext.tsx';
import { suggestRoot } from '../store/edits.ts';
import { selectActions, selectChanges, selectTopology } from '../store/selectors.ts';
import { placeInView } from './placeInView.ts';
import { ROOT_SIZE, rootBox } from './rootBox.ts';

/** Null until a topology is loaded. Reads the view when called, so that panning never redraws the caller. */
export function useAddRootInView(): (() => void) | null {
  const actions = useEditor(selectActions);
  const topology = useEditor(selectTopology);
  const changes = useEditor(selectChanges);
  const flow = useStoreApi();
  if (!topology) return null;
  return () => {
    const draft = suggestRoot(topology, changes?.roots.deleted);
    const { width, height, transform, nodeLookup } = flow.getState();
    // Without a canvas on screen (no size yet) the suggestion's own place stands.
    if (width > 0 && height > 0) {
      draft.position = placeInView({ width, height, x: transform[0], y: transform[1], zoom: transform[2] }, ROOT_SIZE, [...nodeLookup.values()].map(rootBox));
    }
    actions.select({ kind: 'new-root', draft });
  };
}
