// A stand-in for the `electron` module that records what the built shell (dist/shell/*.cjs) asks of it, and the loader
// that hands it to the shell: the wiring app.test.ts checks in a real Electron, checked under Node where none exists.
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { vi } from 'vitest';
import { createClient } from '../../src-shared/contract/client.ts';
import type { Client } from '../../src-shared/contract/client.ts';
import type { Reply } from '../../src-shared/contract/transport.ts';
import { bridgeTransport } from '../../src-shared/contract/bridgeTransport.ts';
import { REPO } from '../ui/buildApp.ts';

type Handler = (event: unknown, input?: unknown) => Promise<Reply>;
type Listener = (...args: unknown[]) => void;
type Bounds = { x?: number; y?: number; width: number; height: number };

/** A window the shell made: what it was made with, what was done to it, and its events to fire. */
export interface StandInWindow {
  placement: Bounds;
  /** What getNormalBounds answers: where the test "moved" it. */
  normalBounds: Required<Bounds>;
  maximized: boolean;
  minimized: boolean;
  calls: string[];
  fire(event: string): void;
}

export interface StandInOptions {
  /** False makes this the second instance: the single-instance lock is held elsewhere. */
  lockFree?: boolean;
  /** The work areas screen.getAllDisplays() reports. */
  workAreas?: Array<Required<Bounds>>;
}

/** `userData` is where app.getPath('userData') points until the shell sets it elsewhere. */
export function standInElectron(userData: string, options: StandInOptions = {}) {
  const paths = new Map([['userData', userData]]);
  const appListeners = new Map<string, Listener[]>();
  const instances: StandInWindow[] = [];
  const seen = {
    exposed: new Map<string, Record<string, (...args: unknown[]) => unknown>>(),
    invoked: [] as Array<[string, unknown]>,
    handlers: new Map<string, Handler>(),
    appEvents: [] as string[],
    schemes: [] as unknown[],
    protocolHandler: undefined as undefined | ((request: { url: string }) => Promise<Response>),
    windows: [] as Array<{ webPreferences: Record<string, unknown>; url?: string }>,
    instances,
    menu: undefined as MenuItemConstructorOptions[] | undefined,
    openedPaths: [] as string[],
    /** Every app.quit() call, and whether it went through (no 'before-quit' listener held it back). */
    quits: [] as Array<'held' | 'through'>,
    lockRequests: 0,
    whenReadyAsked: false,
    ready: () => undefined as void,
    emitApp: (event: string, ...args: unknown[]) => appListeners.get(event)?.forEach((listener) => listener(...args)),
  };
  const app = {
    name: 'Raincoat',
    isPackaged: false,
    setPath: (name: string, path: string) => void paths.set(name, path),
    getPath: (name: string) => paths.get(name) ?? join('/nonexistent', name),
    getAppPath: () => REPO,
    getVersion: () => '0.0.0-test',
    requestSingleInstanceLock: () => (seen.lockRequests++, options.lockFree ?? true),
    on: (event: string, listener: Listener) => {
      seen.appEvents.push(event);
      appListeners.set(event, [...(appListeners.get(event) ?? []), listener]);
      return app;
    },
    whenReady: () => ((seen.whenReadyAsked = true), new Promise<void>((resolve) => (seen.ready = resolve))),
    /** As Electron does: 'before-quit' first, and quitting only if no listener prevented it. */
    quit: () => {
      let held = false;
      seen.emitApp('before-quit', { preventDefault: () => (held = true) });
      seen.quits.push(held ? 'held' : 'through');
    },
    exit: () => undefined,
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: Record<string, (...args: unknown[]) => unknown>) => seen.exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => (seen.invoked.push([channel, input]), { ok: true, value: 'from main' }),
      on: () => undefined,
      removeListener: () => undefined,
    },
    app,
    BrowserWindow: class {
      webContents = { send: () => undefined };
      private record: { webPreferences: Record<string, unknown>; url?: string };
      private state: StandInWindow;
      private listeners = new Map<string, Listener[]>();
      constructor({ webPreferences, x, y, width, height }: Bounds & { webPreferences: Record<string, unknown> }) {
        this.record = { webPreferences };
        seen.windows.push(this.record);
        this.state = {
          placement: { ...(x === undefined ? {} : { x }), ...(y === undefined ? {} : { y }), width, height },
          normalBounds: { x: x ?? 0, y: y ?? 0, width, height },
          maximized: false,
          minimized: false,
          calls: [],
          fire: (event) => this.listeners.get(event)?.forEach((listener) => listener()),
        };
        instances.push(this.state);
      }
      on(event: string, listener: Listener) {
        this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
        return this;
      }
      once(event: string, listener: Listener) {
        return this.on(event, listener);
      }
      loadURL(url: string) {
        this.record.url = url;
        return Promise.resolve();
      }
      getNormalBounds = () => this.state.normalBounds;
      isMaximized = () => this.state.maximized;
      isMinimized = () => this.state.minimized;
      isDestroyed = () => false;
      maximize = () => void (this.state.calls.push('maximize'), (this.state.maximized = true));
      restore = () => void (this.state.calls.push('restore'), (this.state.minimized = false));
      show = () => void this.state.calls.push('show');
      focus = () => void this.state.calls.push('focus');
      static getAllWindows() {
        return [];
      }
    },
    ipcMain: { handle: (channel: string, handler: Handler) => seen.handlers.set(channel, handler), removeHandler: () => undefined, on: () => undefined },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => seen.schemes.push(...schemes),
      handle: (_scheme: string, handler: (request: { url: string }) => Promise<Response>) => (seen.protocolHandler = handler),
    },
    session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
      setApplicationMenu: (menu: { template: MenuItemConstructorOptions[] }) => (seen.menu = menu.template),
    },
    screen: { getAllDisplays: () => (options.workAreas ?? [{ x: 0, y: 0, width: 1920, height: 1050 }]).map((workArea) => ({ workArea })) },
    shell: { openPath: async (path: string) => (seen.openedPaths.push(path), '') },
    // As on Linux without a keyring: no OS store, so the overlay's keys open with their passphrase (the sandbox's kept one).
    safeStorage: { isAsyncEncryptionAvailable: async () => false, getSelectedStorageBackend: () => 'basic_text' },
  };
  return { electron, seen };
}

export type StandInSeen = ReturnType<typeof standInElectron>['seen'];

const moduleLoader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleLoader._load;

/**
 * Loads dist/shell/preload.cjs and main.cjs afresh (each call is a new launch) with `electron` answered by the stand-in;
 * `restoreLoader` puts Node's own loader back.
 */
function loadBuiltShell(electron: object): void {
  moduleLoader._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? electron : originalLoad.call(this, request, ...rest);
  };
  const require = createRequire(import.meta.url);
  for (const file of ['preload.cjs', 'main.cjs']) {
    const path = join(REPO, 'dist/shell', file);
    delete require.cache[path];
    require(path);
  }
}

/** A launch of the built shell: loaded with a stand-in of its own, made ready, and waited for until it opened its window. */
export async function launchBuiltShell(userData: string, options: StandInOptions = {}): Promise<StandInSeen> {
  const standIn = standInElectron(userData, options);
  loadBuiltShell(standIn.electron);
  // A second instance quits before asking for 'ready'.
  if (options.lockFree === false) return standIn.seen;
  standIn.seen.ready();
  await vi.waitFor(() => {
    if (standIn.seen.instances.length === 0) throw new Error('the shell opened no window');
  });
  return standIn.seen;
}

export function restoreLoader(): void {
  moduleLoader._load = originalLoad;
}

/** The contract's typed client over the IPC handlers main registered, called as the app's own page would. */
export function clientOfHandlers(handlers: ReadonlyMap<string, Handler>): Client {
  const fromApp = { senderFrame: { url: 'app://raincoat/index.html', parent: null } };
  return createClient(
    bridgeTransport({
      call: (name, input) => handlers.get(`raincoat:${name}`)!(fromApp, input),
      on: () => {
        throw new Error('the stand-in carries no events: poll overlay.get');
      },
    }),
  );
}
