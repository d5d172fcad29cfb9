// The Electron main process: opens the core, serves the contract over IPC and shows the window. Everything else lives in the core.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { openApplication, PENDING_FILE } from '../core/overlayApp/openApplication.ts';
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
  // The overlay `npm start` or the user named, else the running sandbox's; with neither, the editor alone.
  const accessFile = process.env['RAINCOAT_ACCESS'] || undefined;
  const opened = await openApplication({ env: process.env, noOverlayFile: join(app.getPath('userData'), PENDING_FILE), ...(accessFile === undefined ? {} : { accessFile }) });
  for (const line of opened.notices) console.error(line);
  const { endpoint } = opened;
  app.on('before-quit', () => void opened.close());
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
