// The packaged shell under Electron (Playwright's _electron): the locked-down window, the bridge, and the editor over IPC.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright';
import type { ElectronApplication, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { buildApp, REPO } from '../ui/buildApp.ts';
import { findElectron } from '../../src-main/host/findElectron.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/topologies/three-clouds.json', import.meta.url));

const electron = findElectron();
let app: ElectronApplication | undefined;
let window: Page;
let userData: string | undefined;

function needElectron(ctx: TestContext): void {
  if ('missing' in electron) {
    console.log(`skipped: ${electron.missing}`);
    ctx.skip(electron.missing);
  }
}

describe('the Electron application', () => {
  beforeAll(async () => {
    if ('missing' in electron) return;
    buildApp();
    userData = await mkdtemp(join(tmpdir(), 'raincoat-electron-'));
    app = await _electron.launch({
      executablePath: electron.path,
      args: [join(REPO, 'dist/shell/main.cjs')],
      env: { ...process.env, RAINCOAT_USER_DATA: userData },
    });
    window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
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

  it('opens a topology file and draws it, over IPC', async (ctx) => {
    needElectron(ctx);
    await window.getByLabel('Topology file').fill(FIXTURE);
    await window.getByRole('button', { name: 'Open' }).click();
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
});
