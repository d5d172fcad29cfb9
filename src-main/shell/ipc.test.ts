import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { callNames } from '../../src-shared/contract/contract.ts';
import type { Endpoint } from '../../src-shared/contract/transport.ts';
import { isAppFrame, registerIpc } from './ipc.ts';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** Stands in for Electron's ipcMain: keeps the handlers so the test can invoke them like a renderer would. */
function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  };
}

const fromFrame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

function wire() {
  const ipcMain = fakeIpcMain();
  const dispatched: unknown[] = [];
  let publish: (event: string, payload: unknown) => void = () => undefined;
  const endpoint: Endpoint = {
    dispatch: async (name, input) => (dispatched.push([name, input]), { ok: true, value: 'done' }),
    subscribe: (listener) => ((publish = listener), () => (publish = () => undefined)),
  };
  const sent: unknown[] = [];
  const unregister = registerIpc({ ipcMain, endpoint, sendToWindows: (channel, payload) => sent.push([channel, payload]) });
  return { ipcMain, dispatched, sent, unregister, publish: (e: string, p: unknown) => publish(e, p) };
}

describe('isAppFrame', () => {
  it.each([
    { url: 'app://raincoat/index.html', parent: null, want: true },
    { url: 'app://raincoat/', parent: null, want: true },
    { url: 'app://raincoat/index.html', parent: {}, want: false },
    { url: 'app://raincoat.evil/index.html', parent: null, want: false },
    { url: 'app://raincoat@evil/index.html', parent: null, want: false },
    { url: 'https://raincoat/index.html', parent: null, want: false },
    { url: 'file:///index.html', parent: null, want: false },
    { url: 'not a url', parent: null, want: false },
  ])('$url (parent: $parent) → $want', ({ url, parent, want }) => {
    expect(isAppFrame({ url, parent } as never)).toBe(want);
  });

  it('refuses a frame that is gone', () => {
    expect(isAppFrame(null)).toBe(false);
  });
});

describe('registerIpc', () => {
  it('registers one raincoat: channel per call and removes them again', () => {
    const { ipcMain, unregister } = wire();
    expect([...ipcMain.handlers.keys()]).toEqual(callNames.map((n) => `raincoat:${n}`));
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('hands calls from the app frame to the endpoint, which checks the input', async () => {
    const { ipcMain, dispatched } = wire();
    const reply = await ipcMain.handlers.get('raincoat:topology.open')!(fromFrame('app://raincoat/index.html'), { path: '/t.json' });
    expect(reply).toEqual({ ok: true, value: 'done' });
    expect(dispatched).toEqual([['topology.open', { path: '/t.json' }]]);
  });

  it('turns away a call from any other frame without reaching the endpoint', async () => {
    const { ipcMain, dispatched } = wire();
    const reply = await ipcMain.handlers.get('raincoat:topology.save')!(fromFrame('https://evil.example/'), { topology: {} });
    expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: "topology.save: not from the application's window" } });
    expect(dispatched).toEqual([]);
  });

  it('sends events to the windows on raincoat: channels until unregistered', () => {
    const { sent, publish, unregister } = wire();
    publish('topology.didChange', { revision: 1 });
    unregister();
    publish('topology.didChange', { revision: 2 });
    expect(sent).toEqual([['raincoat:topology.didChange', { revision: 1 }]]);
  });
});
