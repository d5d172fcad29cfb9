import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { ensureOverlayKeys } from './ensureOverlayKeys.ts';
import { loadOverlayKeys, saveOverlayKeys } from './overlayKeysFile.ts';
import { scratchDir, type Scratch } from '../../../src-node/x509/pki.testkit.ts';

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

const plan = planAddresses({
  roots: [{ id: 1, name: 'one', internetAddress: '203.0.113.1', overlay: '10.1.0.0/16', maxClients: 10 }],
  tunnels: [],
});

test('keys saved (mode 0600) load back equal', async () => {
  const keys = await ensureOverlayKeys(plan, undefined);
  const file = path.join(scratch.dir, 'keys.json');
  await saveOverlayKeys(file, keys);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(await loadOverlayKeys(file)).toEqual(keys);
});

test('no file means no keys yet', async () => {
  expect(await loadOverlayKeys(path.join(scratch.dir, 'absent.json'))).toBeUndefined();
});

test('a file that is not a keys file is refused without quoting its content', async () => {
  const keys = await ensureOverlayKeys(plan, undefined);
  const file = path.join(scratch.dir, 'keys.json');
  const secret = keys.controlCa.keyPem;
  writeFileSync(file, `{"oops": ${JSON.stringify(secret)}`);
  await expect(loadOverlayKeys(file)).rejects.toThrow(/keys\.json:1:\d+: not JSON: /);
  await expect(loadOverlayKeys(file)).rejects.not.toThrow(/PRIVATE KEY/);
  writeFileSync(file, JSON.stringify({ ...keys, keyType: secret }));
  await expect(loadOverlayKeys(file)).rejects.toThrow(/not an overlay keys file \(keyType\)/);
  await expect(loadOverlayKeys(file)).rejects.not.toThrow(/PRIVATE KEY/);
});
