import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import { fakeAccess } from '../deployRun/fakeOverlay.testkit.ts';
import { overlayStateDir } from '../deployRun/overlayState.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import type { OsBox } from '../secrets/osBox.ts';
import { memoryBox, TEST_PASSPHRASE, testUnlocker } from '../secrets/unlocker.testkit.ts';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { openApplication } from './openApplication.ts';
import type { Application } from './openApplication.ts';

const access = fakeAccess({ 'root-1': 'dry-run', 'leaf-1-1': 'dry-run' });
let dir: string;
let keys: OverlayKeys;
const opened: Application[] = [];
const at = (...parts: string[]) => path.join(dir, ...parts);
const keysFile = () => path.join(overlayStateDir(at('xdg', 'raincoat'), access), KEYS_FILE);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'raincoat-open-application-'));
  await writeFile(at('access.json'), JSON.stringify(access));
  keys = await ensureOverlayKeys(planAddresses({ roots: [makeRoot(1, { maxClients: 10 })], tunnels: [] }), undefined);
});
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
  await rm(at('xdg'), { recursive: true, force: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The application on the overlay of `access.json` (or the sandbox's, with `sandbox`), logging in to nothing. */
async function open(options: { env?: NodeJS.ProcessEnv; box?: OsBox; sandbox?: string } = {}): Promise<Application> {
  const env = { XDG_STATE_HOME: at('xdg'), RAINCOAT_SANDBOX_DIR: options.sandbox ?? at('no-sandbox'), ...options.env };
  const app = await openApplication({
    env,
    noOverlayFile: at('no-overlay.json'),
    autoLogin: false,
    ...(options.sandbox ? {} : { accessFile: at('access.json') }),
    ...(options.box ? { box: options.box } : {}),
  });
  opened.push(app);
  return app;
}

describe("the application's kept keys", () => {
  it('are none before the first deploy, and take a new passphrase of at least 12 characters', async () => {
    const app = await open();
    expect(await app.keys!.state()).toBe('none');
    expect(await app.keys!.unlock('too short')).toMatchObject({ ok: false, message: expect.stringContaining('at least 12 characters') });
    expect(await app.keys!.unlock(TEST_PASSPHRASE)).toEqual({ ok: true });
  });

  it('are locked until given their passphrase once: a wrong one changes nothing', async () => {
    await keptOverlayKeys(keysFile(), testUnlocker()).save(keys);
    const app = await open();
    expect(await app.keys!.state()).toBe('locked');
    expect(await app.keys!.unlock('not the passphrase at all')).toMatchObject({ ok: false, message: expect.stringMatching(/^wrong passphrase \(the one given\)/) });
    expect(await app.keys!.state()).toBe('locked');
    expect(await app.keys!.unlock(TEST_PASSPHRASE)).toEqual({ ok: true });
    expect(await app.keys!.state()).toBe('open');
    expect(await app.keys!.open()).toEqual(keys);
  });

  it('open without asking with RAINCOAT_PASSPHRASE', async () => {
    await keptOverlayKeys(keysFile(), testUnlocker()).save(keys);
    expect(await (await open({ env: { RAINCOAT_PASSPHRASE: TEST_PASSPHRASE } })).keys!.state()).toBe('open');
  });

  it('open without asking on the machine whose OS store sealed them', async () => {
    const box = memoryBox();
    await keptOverlayKeys(keysFile(), testUnlocker({ box })).save(keys);
    expect(await (await open({ box })).keys!.state()).toBe('open');
  });

  it("open with the sandbox's kept passphrase on the sandbox", async () => {
    const sandbox = at('sandbox');
    await keptOverlayKeys(keysFile(), testUnlocker()).save(keys);
    await mkdir(sandbox);
    await writeFile(path.join(sandbox, SANDBOX_FILES.access), JSON.stringify(access));
    await writeFile(path.join(sandbox, SANDBOX_FILES.passphrase), `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
    const app = await open({ sandbox });
    expect(await app.keys!.state()).toBe('open');
  });

  it('are none with no overlay', async () => {
    const app = await openApplication({ env: { XDG_STATE_HOME: at('xdg'), RAINCOAT_SANDBOX_DIR: at('no-sandbox') }, noOverlayFile: at('no-overlay.json') });
    opened.push(app);
    expect(app.keys).toBeNull();
  });
});
