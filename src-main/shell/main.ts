// The Electron main process: opens the core, serves the contract over IPC and shows the window. Everything else lives in the core.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { openAppEndpoint } from '../core/endpoint/openAppEndpoint.ts';
import { handleAppProtocol, registerAppScheme } from './appProtocol.ts';
import { registerIpc } from './ipc.ts';
import { refuseEscapes, refusePermissions } from './security.ts';
import { createMainWindow } from './window.ts';

// Bundled as dist/shell/main.cjs beside preload.cjs, with the renderer in dist/renderer.
const preloadPath = join(__dirname, 'preload.cjs');
const rendererFolder = join(__dirname, '..', 'renderer');

// Lets a test run the app against its own, throw-away state (read before 'ready', as setPath requires).
const userData = process.env['RAINCOAT_USER_DATA'];
if (userData) app.setPath('userData', userData);

registerAppScheme(protocol);
refuseEscapes(app);

async function start(): Promise<void> {
  const { endpoint, store } = await openAppEndpoint(join(app.getPath('userData'), 'pending-topology.json'));
  if (store.recovery) console.error(`${store.recovery.reason}; kept aside as ${store.recovery.keptAs}`);
  refusePermissions(session.defaultSession);
  handleAppProtocol(protocol, rendererFolder);
  registerIpc({
    ipcMain,
    endpoint,
    sendToWindows: (channel, payload) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channel, payload);
    },
  });
  createMainWindow(preloadPath);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    console.error('Raincoat could not start:', error);
    app.exit(1);
  });
