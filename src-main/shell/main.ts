// The Electron main process: one instance, the core opened and served over IPC, the window where it was left, the menu,
// and a quit that logs out first. Everything else lives in the core.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell } from 'electron';
import Store from 'electron-store';
import { systemTimers } from '../core/agentClient/timers.ts';
import { openApplication } from '../core/overlayApp/openApplication.ts';
import { PENDING_FILE } from '../core/deployRun/overlayState.ts';
import { appMenuTemplate } from './appMenu.ts';
import { handleAppProtocol, registerAppScheme } from './appProtocol.ts';
import { closeBeforeQuit } from './closeBeforeQuit.ts';
import { electronFileDialogs } from './fileDialogs.ts';
import { registerIpc } from './ipc.ts';
import { safeStorageBox } from './safeStorageBox.ts';
import { refuseEscapes, refusePermissions } from './security.ts';
import { bringForward, holdSingleInstance } from './singleInstance.ts';
import { createMainWindow } from './window.ts';
import { rememberPlacement, savedPlacement } from './windowMemory.ts';
import type { SavedWindow } from './windowPlacement.ts';

// Bundled as dist/shell/main.cjs beside preload.cjs, with the renderer in dist/renderer.
const preloadPath = join(__dirname, 'preload.cjs');
const rendererFolder = join(__dirname, '..', 'renderer');
/** Where Help → documentation goes: the README shipped inside the application (electron-builder.yml packs it), opened by the system's viewer. */
const docsFile = () => join(app.getAppPath(), 'README.md');
/** The longest quitting waits for the logout: an overlay that stopped answering must not keep Raincoat open. */
const CLOSE_LIMIT_MS = 5_000;

// Lets a test run the app against its own, throw-away state (read before 'ready', as setPath requires, and before the
// single-instance lock, which is held per userData folder).
const userData = process.env['RAINCOAT_USER_DATA'];
if (userData) app.setPath('userData', userData);

let mainWindow: BrowserWindow | undefined;
/** Set once the application is open: until then there is nothing to show. */
let openMainWindow: (() => void) | undefined;

/** A second launch: the window comes to the front, or opens again (macOS keeps running with none). */
function showMainWindow(): void {
  if (mainWindow !== undefined && !mainWindow.isDestroyed()) bringForward(mainWindow);
  else openMainWindow?.();
}

async function start(): Promise<void> {
  // The overlay `npm start` or the user named, else the running sandbox's; with neither, the editor alone.
  const accessFile = process.env['RAINCOAT_ACCESS'] || undefined;
  // The OS's keychain opens the overlay's keys without their passphrase, where it protects anything.
  const box = await safeStorageBox(safeStorage, process.platform);
  const opened = await openApplication({
    env: process.env,
    noOverlayFile: join(app.getPath('userData'), PENDING_FILE),
    fileDialogs: electronFileDialogs(dialog, () => BrowserWindow.getFocusedWindow()),
    ...(accessFile === undefined ? {} : { accessFile }),
    ...(box ? { box } : {}),
  });
  for (const line of opened.notices) console.error(line);
  closeBeforeQuit({ app, close: () => opened.close(), limitMs: CLOSE_LIMIT_MS, timers: systemTimers, log: (line) => console.error(line) });
  refusePermissions(session.defaultSession);
  handleAppProtocol(protocol, rendererFolder);
  registerIpc({
    ipcMain,
    endpoint: opened.endpoint,
    sendToWindows: (channel, payload) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channel, payload);
    },
  });
  const openDocs = () => void shell.openPath(docsFile()).then((problem) => problem && console.error(`the documentation did not open: ${problem}`));
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, packaged: app.isPackaged, appName: app.name, openDocs })));
  // Settings are worth nothing next to starting: a damaged file is started afresh rather than refused.
  const settings = new Store<{ window?: SavedWindow }>({ name: 'settings', clearInvalidConfig: true });
  openMainWindow = () => {
    mainWindow = createMainWindow(preloadPath, savedPlacement(settings, screen.getAllDisplays()));
    rememberPlacement(mainWindow, settings);
  };
  openMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow?.();
  });
}

if (holdSingleInstance(app, showMainWindow)) {
  registerAppScheme(protocol);
  refuseEscapes(app);
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
}
