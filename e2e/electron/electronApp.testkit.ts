// Launching the built shell in a real Electron with Playwright's _electron, or saying why a test cannot.
import { join } from 'node:path';
import { _electron } from 'playwright';
import type { ElectronApplication, Page } from 'playwright';
import type { TestContext } from 'vitest';
import { bridgeTransport } from '../../src-shared/contract/bridgeTransport.ts';
import { createClient } from '../../src-shared/contract/client.ts';
import type { Client } from '../../src-shared/contract/client.ts';
import type { Bridge } from '../../src-shared/contract/transport.ts';
import { findElectron } from '../../src-main/host/findElectron.ts';
import { buildApp, REPO } from '../ui/buildApp.ts';

export const electron = findElectron();
export const MAIN = join(REPO, 'dist/shell/main.cjs');

/** The Electron binary; where there is none, skips the test, printing why. */
export function needElectron(ctx: TestContext): string {
  if ('path' in electron) return electron.path;
  console.log(`skipped: ${electron.missing}`);
  return ctx.skip(electron.missing);
}

/** The built application in Electron, in the given environment, with its first window loaded. */
export async function launchApp(env: NodeJS.ProcessEnv): Promise<{ app: ElectronApplication; window: Page }> {
  if ('missing' in electron) throw new Error(electron.missing);
  buildApp();
  const app = await _electron.launch({ executablePath: electron.path, args: [MAIN], env: env as Record<string, string> });
  const window = await app.firstWindow();
  await window.waitForLoadState('domcontentloaded');
  return { app, window };
}

/** The contract's typed client over the page's `window.raincoat`, as the renderer calls it (not through its UI). */
export function clientOfPage(window: Page): Client {
  return createClient(
    bridgeTransport({
      call: (name, input) => window.evaluate(([n, i]) => (globalThis as unknown as { raincoat: Bridge }).raincoat.call(n, i), [name, input] as const),
      on: () => {
        throw new Error('events stay in the page: poll overlay.get');
      },
    }),
  );
}
