// The application, loaded by the entry (main.tsx) once it has asked main for what every start needs: builds the editor
// and overlay stores, picks the way topology files are read and written, listens to main's events and mounts the app;
// or, opened without the address the host printed, says so.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../../src-shared/contract/client.ts';
import type { Transport } from '../../src-shared/contract/transport.ts';
import { OverlayProvider } from '../overlay/OverlayContext.tsx';
import { createOverlayStore } from '../overlay/overlayStore.ts';
import { ClientMachinesProvider } from '../panels/ClientMachinesContext.tsx';
import { EditorProvider } from '../store/EditorContext.tsx';
import { createEditorStore } from '../store/editorStore.ts';
import { App } from './App.tsx';
import { FilesProvider } from './FilesContext.tsx';
import { browserFiles, dialogFiles, documentPage } from './topologyFiles.ts';

/** `transport` null: the page has neither Electron's bridge nor a token. */
export function startApp(container: HTMLElement, transport: Transport | null): void {
  const root = createRoot(container);
  if (transport === null) {
    root.render(
      <p className="missing-token">
        This page needs the address that <code>npm start</code> (or <code>npm run web</code>) printed: it carries the access token after <code>#token=</code>.
      </p>,
    );
    return;
  }
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
