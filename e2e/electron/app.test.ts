// The packaged shell under Electron (Playwright's _electron): the locked-down window, the bridge, the editor over IPC,
// one instance at a time, and the window's place kept across launches. Each test is skipped, saying why, without Electron.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { electron, launchApp, MAIN, needElectron } from './electronApp.testkit.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/topologies/three-clouds.json', import.meta.url));

let appEnv: UserHome | undefined;
let app: ElectronApplication | undefined;
let window: Page;

/** The first window's state, as main sees it. */
const mainWindowState = (of: ElectronApplication) =>
  of.evaluate(({ BrowserWindow }) => {
    const [first] = BrowserWindow.getAllWindows();
    return { bounds: first!.getNormalBounds(), minimized: first!.isMinimized(), visible: first!.isVisible() };
  });

describe('the Electron application', () => {
  beforeAll(async () => {
    if ('missing' in electron) return;
    // No sandbox in this environment: the application opens with the editor alone.
    appEnv = createUserHome();
    ({ app, window } = await launchApp(appEnv.env));
  });

  afterAll(async () => {
    await app?.close();
    await appEnv?.remove();
  });

  it('shows the app from app://raincoat with no Node in the page', async (ctx) => {
    needElectron(ctx);
    expect(window.url()).toBe('app://raincoat/index.html');
    expect(await window.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
  });

  it('exposes only call and on, and refuses names outside the contract', async (ctx) => {
    needElectron(ctx);
    const bridge = await window.evaluate(async () => {
      const raincoat = (globalThis as unknown as { raincoat: { call(n: string, i: unknown): Promise<unknown> } }).raincoat;
      return { keys: Object.keys(raincoat).sort(), unknown: await raincoat.call('shell.exec', 'rm -rf /') };
    });
    expect(bridge.keys).toEqual(['call', 'on']);
    expect(bridge.unknown).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
  });

  it('imports a topology file through the platform’s open dialog and draws it, over IPC', async (ctx) => {
    needElectron(ctx);
    // The native dialog cannot be clicked by a test: main's dialog answers with the fixture instead.
    await app!.evaluate(({ dialog }, file) => {
      dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [file] });
    }, FIXTURE);
    await window.getByRole('button', { name: 'Import…' }).click();
    await expect.poll(() => window.locator('.react-flow__node').count(), { timeout: 10_000 }).toBe(3);
  });

  it('refuses new windows and navigation away from the app', async (ctx) => {
    needElectron(ctx);
    const opened = await window.evaluate(() => globalThis.open('https://example.com/') === null);
    expect(opened).toBe(true);
    await window.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await window.waitForTimeout(500);
    expect(window.url()).toBe('app://raincoat/index.html');
    expect(app!.windows()).toHaveLength(1);
  });

  it('hands a second launch over to the first, which comes back from minimized', async (ctx) => {
    const binary = needElectron(ctx);
    await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.minimize());
    const second = spawn(binary, [MAIN], { env: appEnv!.env, stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => (second.kill('SIGKILL'), reject(new Error('the second launch did not quit within 20 s'))), 20_000);
      second.once('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode)));
    });
    expect(code).toBe(0);
    await expect.poll(async () => (await mainWindowState(app!)).minimized, { timeout: 5_000 }).toBe(false);
    expect((await mainWindowState(app!)).visible).toBe(true);
    expect(app!.windows()).toHaveLength(1);
  });

  // Maximized is checked on the built shell (shellBundle.test.ts): without a window manager (xvfb) nothing maximizes.
  it('opens the window where it was left at the next launch', async (ctx) => {
    needElectron(ctx);
    await app!.evaluate(({ BrowserWindow }) => {
      const [first] = BrowserWindow.getAllWindows();
      first!.restore();
      first!.setBounds({ x: 60, y: 40, width: 1000, height: 700 });
    });
    const left = (await mainWindowState(app!)).bounds;
    await app!.close();
    ({ app, window } = await launchApp(appEnv!.env));
    expect((await mainWindowState(app!)).bounds).toEqual(left);
  });
});
