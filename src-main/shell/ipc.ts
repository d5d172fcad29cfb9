// Serves the contract over Electron IPC: one ipcMain.handle per declared call, only for the app's own top frame, and events sent to every window.
import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { CHANNEL_PREFIX, callNames } from '../../src-shared/contract/contract.ts';
import type { Endpoint, Reply } from '../../src-shared/contract/transport.ts';
import { APP_ORIGIN } from './appProtocol.ts';

export interface IpcWiring {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  endpoint: Endpoint;
  /** Delivers an event to every window's renderer (`webContents.send`). */
  sendToWindows(channel: string, payload: unknown): void;
}

/**
 * Only the application's own page, in a top-level frame, may call: an iframe or a page that got
 * navigated elsewhere (both refused by the shell anyway) is turned away here too.
 */
export function isAppFrame(frame: Pick<WebFrameMain, 'url' | 'parent'> | null): boolean {
  if (frame === null || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Registers the handlers and the event forwarding; returns the function that removes them. */
export function registerIpc(wiring: IpcWiring): () => void {
  const { ipcMain, endpoint } = wiring;
  for (const name of callNames) {
    ipcMain.handle(CHANNEL_PREFIX + name, async (event: IpcMainInvokeEvent, input: unknown): Promise<Reply> => {
      if (!isAppFrame(event.senderFrame)) return { ok: false, error: { code: 'forbidden', message: `${name}: not from the application's window` } };
      // The endpoint checks `input` against the call's schema before the core sees it.
      return endpoint.dispatch(name, input);
    });
  }
  const unsubscribe = endpoint.subscribe((event, payload) => wiring.sendToWindows(CHANNEL_PREFIX + event, payload));
  return () => {
    unsubscribe();
    for (const name of callNames) ipcMain.removeHandler(CHANNEL_PREFIX + name);
  };
}
