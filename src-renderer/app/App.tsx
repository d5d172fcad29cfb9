// The application's layout: toolbar, banners, then the login view, or the canvas and the side panel (which can be hidden,
// and opens again when something is selected); and a deploy's plan over them.
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { Canvas } from '../canvas/Canvas.tsx';
import { PlanDialog } from '../dialogs/PlanDialog.tsx';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectDeployPlace, selectScreen } from '../overlay/overlaySelectors.ts';
import { SidePanel } from '../panels/SidePanel.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import { selectSelection, selectServer } from '../store/selectors.ts';
import { Banners } from './Banners.tsx';
import { LoginScreen } from './LoginScreen.tsx';
import { OverlayBanners } from './OverlayBanners.tsx';
import { Toolbar } from './Toolbar.tsx';

export function App() {
  // The canvas waits for the first states so that fitView frames the roots that are there, with their status.
  const loaded = useEditor(selectServer) !== null;
  const screen = useOverlay(selectScreen);
  const deployPlace = useOverlay(selectDeployPlace);
  const selection = useEditor(selectSelection);
  // Open from the start only where the window leaves the canvas room beside it.
  const [panelOpen, setPanelOpen] = useState(() => window.matchMedia('(min-width: 900px)').matches);
  // Whatever is selected is edited in the panel, so selecting shows it.
  useEffect(() => {
    if (selection.kind !== 'none') setPanelOpen(true);
  }, [selection]);
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar panelOpen={panelOpen} onTogglePanel={() => setPanelOpen(!panelOpen)} />
        <Banners />
        <OverlayBanners />
        <main className="workspace">
          {screen === 'login' ? (
            <LoginScreen />
          ) : (
            <>
              <div className="canvas">{loaded && screen === 'editor' ? <Canvas /> : <p className="loading">Connecting…</p>}</div>
              {(panelOpen || deployPlace === 'panel') && <SidePanel />}
            </>
          )}
        </main>
        {deployPlace === 'dialog' && <PlanDialog />}
      </div>
    </ReactFlowProvider>
  );
}
