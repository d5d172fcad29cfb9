// The built shell (stand-in Electron, as shellBundle.test.ts) on a running sandbox overlay: it opens the sandbox, logs in
// with the kept password, deploys to every node through its IPC handlers, and logs out before it quits. The same steps
// as appOnSandbox.test.ts in a real Electron, run here where none exists.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '../../src-shared/contract/client.ts';
import { createUserHome } from '../userHome.testkit.ts';
import type { UserHome } from '../userHome.testkit.ts';
import { expectDeployToEveryNode, expectLoggedInHoldingTheLock, expectTheLockFree } from './overlayFlow.testkit.ts';
import { clientOfHandlers, launchBuiltShell, restoreLoader } from './standInElectron.testkit.ts';
import type { StandInSeen } from './standInElectron.testkit.ts';

describe('the built shell on the sandbox overlay', () => {
  let appEnv: UserHome;
  let seen: StandInSeen;
  let client: Client;

  beforeAll(async () => {
    appEnv = createUserHome();
    await appEnv.upSandbox();
    for (const [name, value] of Object.entries(appEnv.vars)) vi.stubEnv(name, value);
    seen = await launchBuiltShell('/default/user-data');
    client = clientOfHandlers(seen.handlers);
  }, 120_000);

  afterAll(async () => {
    restoreLoader();
    vi.unstubAllEnvs();
    await appEnv?.remove();
  }, 60_000);

  it('opens the running sandbox and logs in with its kept password, holding the administrator lock', async () => {
    await expectLoggedInHoldingTheLock(client, appEnv);
  });

  it('deploys the sandbox’s topology: the plan, approved, applied on every node, which then runs it', async () => {
    await expectDeployToEveryNode(client);
  });

  it('logs out of the overlay before it quits, leaving the lock free', async () => {
    seen.emitApp('before-quit', { preventDefault: () => seen.quits.push('held') });
    await vi.waitFor(() => expect(seen.quits).toEqual(['held', 'through']), { timeout: 10_000 });
    expect((await client.api['overlay.get']()).session).toEqual({ phase: 'out', refusal: null, ended: 'the application closed' });
    await expectTheLockFree(appEnv);
  });
});
