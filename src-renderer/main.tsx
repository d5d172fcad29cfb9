// The renderer's entry: picks the transport and the way topology files are read and written, builds the editor and
// overlay stores, listens to main's events and mounts the app.
import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../src-shared/contract/client.ts';
import { App } from './app/App.tsx';
import { FilesProvider } from './app/FilesContext.tsx';
import { pickTransport } from './app/pickTransport.ts';
import { ClientMachinesProvider } from './panels/ClientMachinesContext.tsx';
import { browserFiles, dialogFiles, documentPage } from './app/topologyFiles.ts';
import { OverlayProvider } from './overlay/OverlayContext.tsx';
import { createOverlayStore } from './overlay/overlayStore.ts';
import { createEditorStore } from './store/editorStore.ts';
import { EditorProvider } from './store/EditorContext.tsx';

const transport = pickTransport({
  bridge: window.raincoat,
  host: location.host,
  hash: location.hash,
  openSocket: (url) => new WebSocket(url),
});
const root = createRoot(document.getElementById('root')!);

if (transport === null) {
  root.render(
    <p className="missing-token">
      This page needs the address that <code>npm start</code> (or <code>npm run web</code>) printed: it carries the access token after <code>#token=</code>.
    </p>,
  );
} else {
  const client = createClient(transport);
  const store = createEditorStore(client.api);
  const overlay = createOverlayStore(client.api);
  // Electron's preload gives the bridge and main has the platform's dialogs; a browser has a file input and downloads.
  const page = documentPage(document);
  const files = window.raincoat ? dialogFiles(client.api) : browserFiles(client.api, page);
  const clientMachines = { api: client.api, copy: (text: string) => navigator.clipboard.writeText(text), download: page.download };
  client.on('topology.didChange', (state) => store.getState().actions.receiveEvent(state));
  client.on('overlay.didChange', (state) => overlay.getState().actions.receiveEvent(state));
  void store.getState().actions.load();
  void overlay.getState().actions.load();
  root.render(
    <StrictMode>
      <EditorProvider store={store}>
        <OverlayProvider store={overlay}>
          <FilesProvider value={files}>
            <ClientMachinesProvider value={clientMachines}>
              <App />
            </ClientMachinesProvider>
          </FilesProvider>
        </OverlayProvider>
      </EditorProvider>
    </StrictMode>,
  );
}
