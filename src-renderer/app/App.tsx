// The editor's layout: toolbar, banners, the canvas and the side panel.
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from '../canvas/Canvas.tsx';
import { SidePanel } from '../panels/SidePanel.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import { selectServer } from '../store/selectors.ts';
import { Banners } from './Banners.tsx';
import { Toolbar } from './Toolbar.tsx';

export function App() {
  // The canvas waits for the first state so that fitView frames the roots that are there.
  const loaded = useEditor(selectServer) !== null;
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <Banners />
        <main className="workspace">
          <div className="canvas">{loaded ? <Canvas /> : <p className="loading">Connecting…</p>}</div>
          <SidePanel />
        </main>
      </div>
    </ReactFlowProvider>
  );
}
