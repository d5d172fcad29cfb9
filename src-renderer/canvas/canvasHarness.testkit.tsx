// Component tests' canvas: the editor store loaded from a topology and an overlay store loaded with a state, both
// connected to nothing else, and the canvas rendered in React Flow's provider, in a room of its own size.
import { render } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { ReactNode } from 'react';
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { OverlayProvider } from '../overlay/OverlayContext.tsx';
import type { OverlayApi } from '../overlay/overlayStore.ts';
import { createOverlayStore } from '../overlay/overlayStore.ts';
import { fakeMain } from '../panels/editorHarness.testkit.tsx';
import { EditorProvider } from '../store/EditorContext.tsx';
import { createEditorStore } from '../store/editorStore.ts';
import { Canvas } from './Canvas.tsx';

/** `beside`: more inside the providers, next to the canvas (a probe of React Flow's store). */
export async function renderCanvas(topology: Topology, overlayState: OverlayState, beside?: ReactNode) {
  const editor = createEditorStore(fakeMain(topology).api);
  await editor.getState().actions.load();
  const overlay = createOverlayStore({ 'overlay.get': async () => overlayState } as unknown as OverlayApi);
  await overlay.getState().actions.load();
  const view = render(
    <ReactFlowProvider>
      <EditorProvider store={editor}>
        <OverlayProvider store={overlay}>
          <div style={{ width: 1000, height: 800 }}>
            <Canvas />
          </div>
          {beside}
        </OverlayProvider>
      </EditorProvider>
    </ReactFlowProvider>,
  );
  return { view, editor, overlay };
}
