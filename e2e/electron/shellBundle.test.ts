// The built shell (dist/shell/*.cjs) loaded under Node with a stand-in for the `electron` module: the wiring that
// app.test.ts checks in a real Electron, checked here where no Electron binary can be installed. Each load of the shell
// is a launch: the first instance, a second one that hands over, and a relaunch that finds the window where it was.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, REPO } from '../ui/buildApp.ts';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { launchBuiltShell, restoreLoader } from './standInElectron.testkit.ts';
import type { StandInSeen } from './standInElectron.testkit.ts';

describe('the built shell with a stand-in Electron', () => {
  let appEnv: UserHome;
  let userData: string;
  let seen: StandInSeen;

  beforeAll(async () => {
    buildApp();
    appEnv = createUserHome();
    // The shell reads its environment from this process: no sandbox, and nothing of the developer's own state.
    for (const [name, value] of Object.entries(appEnv.vars)) vi.stubEnv(name, value);
    userData = appEnv.vars['RAINCOAT_USER_DATA']!;
    seen = await launchBuiltShell('/default/user-data');
  });

  afterAll(async () => {
    restoreLoader();
    vi.unstubAllEnvs();
    await appEnv.remove();
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
    // What the renderer loads only when used (elkjs) is a chunk of its own, served from the same origin.
    const elk = readdirSync(join(REPO, 'dist', 'renderer', 'chunks')).find((name) => name.startsWith('elk.'))!;
    const chunk = await seen.protocolHandler!({ url: `app://raincoat/chunks/${elk}` });
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await seen.protocolHandler!({ url: 'app://raincoat/%2e%2e/shell/main.cjs' })).status).toBe(404);
    expect((await seen.protocolHandler!({ url: 'app://elsewhere/index.html' })).status).toBe(404);
  });

  it('sets the application menu, with developer tools as it is not packaged, and Help opening the README packed with it', async () => {
    const menu = seen.menu!;
    const roles = (label: string) => (menu.find((m) => m.label === label)!.submenu as MenuItemConstructorOptions[]).map((item) => item.role ?? item.type ?? item.label);
    expect(menu.map((m) => m.label)).toEqual(process.platform === 'darwin' ? ['Raincoat', 'File', 'Edit', 'View', 'Window', 'Help'] : ['File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles('Edit')).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'selectAll']);
    expect(roles('View')).toContain('toggleDevTools');
    const docs = (menu.find((m) => m.label === 'Help')!.submenu as MenuItemConstructorOptions[])[0]!;
    docs.click!(undefined as never, undefined, undefined as never);
    await vi.waitFor(() => expect(seen.openedPaths).toHaveLength(1));
    expect(existsSync(seen.openedPaths[0]!) && seen.openedPaths[0]!.endsWith('README.md')).toBe(true);
  });

  it('opens the window at the default size with nothing saved, and shows it once ready', () => {
    const window = seen.instances[0]!;
    expect(window.placement).toEqual({ width: 1280, height: 800 });
    window.fire('ready-to-show');
    expect(window.calls).toEqual(['show']);
  });

  it('brings the window forward, restored, when Raincoat is launched again', () => {
    expect(seen.lockRequests).toBe(1);
    const window = seen.instances[0]!;
    window.calls.length = 0;
    window.minimized = true;
    seen.emitApp('second-instance');
    expect(window.calls).toEqual(['restore', 'show', 'focus']);
    expect(seen.instances).toHaveLength(1);
  });

  it('keeps the window’s normal bounds and maximized state in the settings when it closes', () => {
    const window = seen.instances[0]!;
    window.normalBounds = { x: 140, y: 90, width: 1000, height: 700 };
    window.maximized = true;
    window.fire('close');
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toEqual({ window: { x: 140, y: 90, width: 1000, height: 700, maximized: true } });
  });

  it('quits only once the application has closed', async () => {
    seen.emitApp('before-quit', { preventDefault: () => seen.quits.push('held') });
    await vi.waitFor(() => expect(seen.quits).toEqual(['held', 'through']));
  });

  it('as a second instance, quits at once and starts nothing', async () => {
    const second = await launchBuiltShell(userData, { lockFree: false });
    expect({ lock: second.lockRequests, quits: second.quits, ready: second.whenReadyAsked, schemes: second.schemes, windows: second.windows }).toEqual({
      lock: 1,
      quits: ['through'],
      ready: false,
      schemes: [],
      windows: [],
    });
  });

  it('relaunched, opens the window where it was left, maximized, on the displays of the day', async () => {
    const again = await launchBuiltShell(userData);
    const window = again.instances[0]!;
    expect(window.placement).toEqual({ x: 140, y: 90, width: 1000, height: 700 });
    window.fire('ready-to-show');
    expect(window.calls).toEqual(['maximize', 'show']);
    const unplugged = await launchBuiltShell(userData, { workAreas: [{ x: 2000, y: 0, width: 1920, height: 1050 }] });
    expect(unplugged.instances[0]!.placement).toEqual({ width: 1280, height: 800 });
  });
});
