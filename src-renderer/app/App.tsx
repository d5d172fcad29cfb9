// The application's layout: toolbar, banners, then the login view, or the canvas and the side panel; and a deploy's plan over them.
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from '../canvas/Canvas.tsx';
import { PlanDialog } from '../dialogs/PlanDialog.tsx';
import { useOverlay } from '../overlay/OverlayContext.tsx';
import { selectDeployPlace, selectScreen } from '../overlay/overlaySelectors.ts';
import { SidePanel } from '../panels/SidePanel.tsx';
import { useEditor } from '../store/EditorContext.tsx';
import { selectServer } from '../store/selectors.ts';
import { Banners } from './Banners.tsx';
import { LoginScreen } from './LoginScreen.tsx';
import { OverlayBanners } from './OverlayBanners.tsx';
import { Toolbar } from './Toolbar.tsx';

export function App() {
  // The canvas waits for the first states so that fitView frames the roots that are there, with their status.
  const loaded = useEditor(selectServer) !== null;
  const screen = useOverlay(selectScreen);
  const deployPlace = useOverlay(selectDeployPlace);
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <Banners />
        <OverlayBanners />
        <main className="workspace">
          {screen === 'login' ? (
            <LoginScreen />
          ) : (
            <>
              <div className="canvas">{loaded && screen === 'editor' ? <Canvas /> : <p className="loading">Connecting…</p>}</div>
              <SidePanel />
            </>
          )}
        </main>
        {deployPlace === 'dialog' && <PlanDialog />}
      </div>
    </ReactFlowProvider>
  );
}
