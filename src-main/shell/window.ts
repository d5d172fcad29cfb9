// The application's window: isolated, sandboxed, no Node in the page, showing app://raincoat/, where it was last time.
import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './appProtocol.ts';
import type { Placement } from './windowPlacement.ts';

export function createMainWindow(preloadPath: string, placement: Placement): BrowserWindow {
  const window = new BrowserWindow({
    ...placement.bounds,
    title: 'Raincoat',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    // Maximized before it is shown, so it does not appear at its normal size first.
    if (placement.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
