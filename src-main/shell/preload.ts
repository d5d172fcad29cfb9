// The preload: exposes `window.raincoat = {call, on}` to the page, for the contract's own names only, on `raincoat:` channels.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { CHANNEL_PREFIX, isCallName, isEventName } from '../../src-shared/contract/contract.ts';
import type { Bridge, Reply } from '../../src-shared/contract/transport.ts';

/**
 * The page never sees `ipcRenderer` or an IPC event object (which would reach `event.sender`): it can
 * only invoke a declared call and listen to a declared event.
 */
const bridge: Bridge = {
  call(name, input) {
    if (!isCallName(name)) return Promise.resolve<Reply>({ ok: false, error: { code: 'unknown-call', message: `no call named ${JSON.stringify(name)}` } });
    return ipcRenderer.invoke(CHANNEL_PREFIX + name, input) as Promise<Reply>;
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`no event named ${JSON.stringify(event)}`);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(CHANNEL_PREFIX + event, forward);
    return () => {
      ipcRenderer.removeListener(CHANNEL_PREFIX + event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('raincoat', bridge);
