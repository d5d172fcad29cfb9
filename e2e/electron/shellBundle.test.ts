// The built shell (dist/shell/*.cjs) loaded under Node with a stand-in for the `electron` module: the wiring that
// app.test.ts checks in a real Electron, checked here where no Electron binary can be installed.
import { mkdtemp, rm } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, REPO } from '../ui/buildApp.ts';

type Handler = (event: unknown, input?: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;

/** Records what the shell asks of Electron. */
function standInElectron(userData: string) {
  const seen = {
    exposed: new Map<string, Record<string, (...args: unknown[]) => unknown>>(),
    invoked: [] as Array<[string, unknown]>,
    handlers: new Map<string, Handler>(),
    appEvents: [] as string[],
    schemes: [] as unknown[],
    protocolHandler: undefined as undefined | ((request: { url: string }) => Promise<Response>),
    windows: [] as Array<{ webPreferences: Record<string, unknown>; url?: string }>,
    ready: () => undefined as void,
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: Record<string, (...args: unknown[]) => unknown>) => seen.exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => (seen.invoked.push([channel, input]), { ok: true, value: 'from main' }),
      on: () => undefined,
      removeListener: () => undefined,
    },
    app: {
      setPath: () => undefined,
      getPath: () => userData,
      on: (event: string) => seen.appEvents.push(event),
      whenReady: () => new Promise<void>((resolve) => (seen.ready = resolve)),
      quit: () => undefined,
      exit: () => undefined,
    },
    BrowserWindow: class {
      webContents = { send: () => undefined };
      private record: { webPreferences: Record<string, unknown>; url?: string };
      constructor(options: { webPreferences: Record<string, unknown> }) {
        this.record = { webPreferences: options.webPreferences };
        seen.windows.push(this.record);
      }
      once() {}
      loadURL(url: string) {
        this.record.url = url;
        return Promise.resolve();
      }
      static getAllWindows() {
        return [];
      }
    },
    ipcMain: { handle: (channel: string, handler: Handler) => seen.handlers.set(channel, handler), removeHandler: () => undefined },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => seen.schemes.push(...schemes),
      handle: (_scheme: string, handler: (request: { url: string }) => Promise<Response>) => (seen.protocolHandler = handler),
    },
    session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
  };
  return { electron, seen };
}

describe('the built shell with a stand-in Electron', () => {
  let userData: string;
  let seen: ReturnType<typeof standInElectron>['seen'];
  const moduleLoader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = moduleLoader._load;

  beforeAll(async () => {
    buildApp();
    userData = await mkdtemp(join(tmpdir(), 'raincoat-shell-'));
    const standIn = standInElectron(userData);
    seen = standIn.seen;
    moduleLoader._load = function (request: string, ...rest: unknown[]) {
      return request === 'electron' ? standIn.electron : originalLoad.call(this, request, ...rest);
    };
    const require = createRequire(import.meta.url);
    require(join(REPO, 'dist/shell/preload.cjs'));
    require(join(REPO, 'dist/shell/main.cjs'));
    seen.ready();
    await vi.waitFor(() => {
      if (seen.windows.length === 0) throw new Error('the shell opened no window');
    });
  });

  afterAll(async () => {
    moduleLoader._load = originalLoad;
    await rm(userData, { recursive: true, force: true });
  });

  it('opens one locked-down window on app://raincoat', () => {
    expect(seen.windows[0]).toEqual({
      url: 'app://raincoat/index.html',
      webPreferences: expect.objectContaining({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: join(REPO, 'dist/shell/preload.cjs') }),
    });
    expect(seen.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    expect(seen.appEvents).toContain('web-contents-created');
  });

  it('exposes window.raincoat with call and on only, refusing other names before IPC', async () => {
    const bridge = seen.exposed.get('raincoat')!;
    expect(Object.keys(bridge)).toEqual(['call', 'on']);
    expect(await bridge['call']!('shell.exec', 'x')).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    expect(await bridge['call']!('topology.get', undefined)).toEqual({ ok: true, value: 'from main' });
    expect(seen.invoked).toEqual([['raincoat:topology.get', undefined]]);
    expect(() => bridge['on']!('anything', () => undefined)).toThrow('no event named "anything"');
  });

  it('answers calls from the app frame only, with the real core behind them', async () => {
    const get = seen.handlers.get('raincoat:topology.get')!;
    const fromApp = await get({ senderFrame: { url: 'app://raincoat/index.html', parent: null } });
    expect(fromApp).toMatchObject({ ok: true, value: { storedIn: join(userData, 'pending-topology.json'), revision: 0 } });
    expect(await get({ senderFrame: { url: 'https://evil.example/', parent: null } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('serves the renderer with a CSP that allows no connection, and nothing outside it', async () => {
    const index = await seen.protocolHandler!({ url: 'app://raincoat/index.html' });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("connect-src 'none'");
    expect(await index.text()).toContain('<script type="module" src="./app.js"></script>');
    expect((await seen.protocolHandler!({ url: 'app://raincoat/%2e%2e/shell/main.cjs' })).status).toBe(404);
    expect((await seen.protocolHandler!({ url: 'app://elsewhere/index.html' })).status).toBe(404);
  });
});
