// The application in Electron (Playwright's _electron) on the sandbox overlay, driven through its page's window.raincoat
// bridge: it opens the running sandbox logged in with the kept password, deploys to every node, and logs out when it
// quits. Each test is skipped, saying why, where no Electron binary exists (shellOnSandbox.test.ts runs the same steps
// on the built shell with a stand-in Electron).
import type { ElectronApplication } from 'playwright';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Client } from '../../src-shared/contract/client.ts';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { clientOfPage, electron, launchApp, needElectron } from './electronApp.testkit.ts';
import { expectDeployToEveryNode, expectLoggedInHoldingTheLock, expectTheLockFree } from './overlayFlow.testkit.ts';

describe('the Electron application on the sandbox overlay', () => {
  let appEnv: UserHome | undefined;
  let app: ElectronApplication | undefined;
  let client: Client;

  beforeAll(async () => {
    if ('missing' in electron) return;
    appEnv = createUserHome();
    await appEnv.upSandbox();
    const launched = await launchApp(appEnv.env);
    app = launched.app;
    client = clientOfPage(launched.window);
  }, 180_000);

  // The app first (it logs out as it quits), then the sandbox: also when a test or the launch failed.
  afterAll(async () => {
    await app?.close();
    await appEnv?.remove();
  }, 90_000);

  it('opens the running sandbox and logs in with its kept password, holding the administrator lock', async (ctx) => {
    needElectron(ctx);
    await expectLoggedInHoldingTheLock(client, appEnv!);
  });

  it('deploys the sandbox’s topology: the plan, approved, applied on every node, which then runs it', async (ctx) => {
    needElectron(ctx);
    await expectDeployToEveryNode(client);
  });

  it('logs out of the overlay when it quits, leaving the lock free', async (ctx) => {
    needElectron(ctx);
    await app!.close();
    app = undefined;
    await expectTheLockFree(appEnv!);
  });
});
