import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { planAddresses } from '../../../src-shared/plan/planAddresses.ts';
import { ensureOverlayKeys } from './ensureOverlayKeys.ts';
import type { OverlayKeys } from './keyTypes.ts';
import { keptOverlayKeys, loadOverlayKeys, saveOverlayKeys } from './overlayKeysFile.ts';
import { CHEAP_COST, memoryBox, TEST_PASSPHRASE, testUnlocker } from '../secrets/unlocker.testkit.ts';
import { createUnlocker } from '../secrets/unlocker.ts';
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

let made: OverlayKeys | undefined;
const keysOnce = async () => (made ??= await ensureOverlayKeys(plan, undefined));

/** Every secret the keys hold, as text that must never be found where they are sealed or reported. */
const secretsOf = (keys: OverlayKeys) => [keys.controlCa.keyPem.split('\n')[1]!, keys.roots['1']!.openvpnCa.keyPem.split('\n')[1]!, keys.roots['1']!.uplinkTlsCrypt.split('\n')[5]!, keys.roots['1']!.clientTlsCrypt.split('\n')[5]!, keys.roots['1']!.clientTlsCryptV2.split('\n')[1]!];

describe('the plain keys file (render)', () => {
  test('keys saved (mode 0600) load back equal', async () => {
    const keys = await keysOnce();
    const file = path.join(scratch.dir, 'keys.json');
    await saveOverlayKeys(file, keys);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await loadOverlayKeys(file)).toEqual(keys);
  });

  test('a version 1 file (one tls-crypt key per cloud) keeps that key for the uplink; client servers and clients get keys of their own', async () => {
    const keys = await keysOnce();
    const file = path.join(scratch.dir, 'keys.json');
    const v1 = {
      ...keys,
      version: 1,
      roots: Object.fromEntries(Object.entries(keys.roots).map(([id, { openvpnCa, uplinkServer, uplinkTlsCrypt }]) => [id, { openvpnCa, uplinkServer, tlsCrypt: uplinkTlsCrypt }])),
      clients: Object.fromEntries(Object.entries(keys.clients).map(([name, { tlsCryptV2: _, ...client }]) => [name, client])),
    };
    writeFileSync(file, JSON.stringify(v1));
    const upgraded = (await loadOverlayKeys(file))!;
    expect(upgraded.version).toBe(2);
    const root = upgraded.roots['1']!;
    expect(root.uplinkTlsCrypt).toBe(keys.roots['1']!.uplinkTlsCrypt);
    expect(root.openvpnCa).toEqual(keys.roots['1']!.openvpnCa);
    expect(root.clientTlsCrypt).toMatch(/BEGIN OpenVPN Static key V1/);
    expect(root.clientTlsCrypt).not.toBe(root.uplinkTlsCrypt);
    expect(root.clientTlsCryptV2).toMatch(/BEGIN OpenVPN tls-crypt-v2 server key/);
    expect(upgraded.clients['client-1-1']!.tlsCryptV2).toMatch(/BEGIN OpenVPN tls-crypt-v2 client key/);
    expect(upgraded.clients['client-1-1']!.certPem).toBe(keys.clients['client-1-1']!.certPem);
  });

  test('no file means no keys yet', async () => {
    expect(await loadOverlayKeys(path.join(scratch.dir, 'absent.json'))).toBeUndefined();
  });

  test('a file that is not a keys file is refused without quoting its content', async () => {
    const keys = await keysOnce();
    const file = path.join(scratch.dir, 'keys.json');
    const secret = keys.controlCa.keyPem;
    writeFileSync(file, `{"oops": ${JSON.stringify(secret)}`);
    await expect(loadOverlayKeys(file)).rejects.toThrow(/keys\.json:1:\d+: not JSON: /);
    await expect(loadOverlayKeys(file)).rejects.not.toThrow(/PRIVATE KEY/);
    writeFileSync(file, JSON.stringify({ ...keys, keyType: secret }));
    await expect(loadOverlayKeys(file)).rejects.toThrow(/not an overlay keys file \(keyType\)/);
    await expect(loadOverlayKeys(file)).rejects.not.toThrow(/PRIVATE KEY/);
  });
});

describe("the overlay's kept keys, sealed", () => {
  const file = () => path.join(scratch.dir, 'overlay', 'raincoat-keys.json');

  test('are saved sealed (0600, no key readable) and open back equal, in another run with the passphrase', async () => {
    const keys = await keysOnce();
    await keptOverlayKeys(file(), testUnlocker()).save(keys);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    const text = readFileSync(file(), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'raincoat-sealed', purpose: 'overlay-keys' });
    for (const secret of secretsOf(keys)) expect(text).not.toContain(secret);
    const again = testUnlocker();
    expect(await keptOverlayKeys(file(), again).open()).toEqual(keys);
    expect(again.asked).toEqual(['open']);
  });

  test('before the first deploy there are none, and the first save asks for a new passphrase', async () => {
    const unlocker = testUnlocker();
    const kept = keptOverlayKeys(file(), unlocker);
    expect(await kept.open()).toBeUndefined();
    expect(await kept.state()).toBe('none');
    await kept.readyToSave();
    await kept.save(await keysOnce());
    expect(unlocker.asked).toEqual(['create']);
    expect(await kept.state()).toBe('open');
  });

  test('before the first deploy, with a passphrase that needs nobody (the environment, the sandbox\'s), nothing is to be asked', async () => {
    const unlocker = createUnlocker({ cost: CHEAP_COST, notice: () => undefined, passphrase: async () => ({ ok: true, passphrase: TEST_PASSPHRASE, from: 'in RAINCOAT_PASSPHRASE' }) });
    expect(await keptOverlayKeys(file(), unlocker).state()).toBe('open');
  });

  test('a wrong passphrase says so, names the file, and leaves the file as it was', async () => {
    const keys = await keysOnce();
    await keptOverlayKeys(file(), testUnlocker()).save(keys);
    const before = readFileSync(file(), 'utf8');
    const wrong = keptOverlayKeys(file(), testUnlocker({ passphrase: 'not the passphrase at all' }));
    await expect(wrong.open()).rejects.toThrow(`${file()}: wrong passphrase (the one of the test): it does not open these secrets; nothing was changed`);
    await expect(wrong.save(keys)).rejects.toThrow(/wrong passphrase/);
    expect(readFileSync(file(), 'utf8')).toBe(before);
  });

  test('without a passphrase to be had, says so before anything is saved', async () => {
    const kept = keptOverlayKeys(file(), testUnlocker({ passphrase: undefined }));
    await expect(kept.readyToSave()).rejects.toThrow(`${file()}: no passphrase: none in this test`);
  });

  test('an older plain keys file is read once, said so, and sealed at the next save under the new passphrase', async () => {
    const keys = await keysOnce();
    await saveOverlayKeys(file(), keys);
    const unlocker = testUnlocker();
    const kept = keptOverlayKeys(file(), unlocker);
    expect(await kept.state()).toBe('plain');
    expect(await kept.open()).toEqual(keys);
    expect(unlocker.notices).toEqual([`${file()} holds the overlay's keys in plain text, as Raincoat kept them before: they are sealed under the passphrase at the next save`]);
    await kept.save(keys);
    expect(unlocker.asked).toEqual(['create']);
    for (const secret of secretsOf(keys)) expect(readFileSync(file(), 'utf8')).not.toContain(secret);
    expect(await keptOverlayKeys(file(), testUnlocker()).open()).toEqual(keys);
  });

  test('a damaged sealed file is refused without quoting anything, and so is another sealed kind', async () => {
    const keys = await keysOnce();
    await keptOverlayKeys(file(), testUnlocker()).save(keys);
    const envelope = JSON.parse(readFileSync(file(), 'utf8'));
    const ct: string = envelope.data.ct;
    writeFileSync(file(), JSON.stringify({ ...envelope, data: { ...envelope.data, ct: `${ct.slice(0, 10)}${ct[10] === 'A' ? 'B' : 'A'}${ct.slice(11)}` } }));
    await expect(keptOverlayKeys(file(), testUnlocker()).open()).rejects.toThrow(/: the passphrase opens the data key, but the sealed data does not authenticate/);
    writeFileSync(file(), JSON.stringify({ ...envelope, purpose: 'administrator-state' }));
    await expect(keptOverlayKeys(file(), testUnlocker()).open()).rejects.toThrow(/raincoat-keys\.json holds sealed administrator-state, not the overlay's keys$/);
  });

  test("open without asking on the machine whose OS store sealed them, and say 'locked' elsewhere", async () => {
    const box = memoryBox();
    const keys = await keysOnce();
    await keptOverlayKeys(file(), testUnlocker({ box })).save(keys);
    const here = testUnlocker({ passphrase: undefined, box });
    expect(await keptOverlayKeys(file(), here).state()).toBe('open');
    expect(await keptOverlayKeys(file(), here).open()).toEqual(keys);
    expect(await keptOverlayKeys(file(), testUnlocker()).state()).toBe('locked');
  });

  test("take the application's passphrase once: a wrong one changes nothing, the right one opens them for the run", async () => {
    const keys = await keysOnce();
    await keptOverlayKeys(file(), testUnlocker()).save(keys);
    const app = keptOverlayKeys(file(), testUnlocker({ passphrase: undefined }));
    expect(await app.state()).toBe('locked');
    expect(await app.unlock('not the passphrase at all')).toMatchObject({ ok: false, message: expect.stringMatching(/^wrong passphrase/) });
    expect(await app.state()).toBe('locked');
    expect(await app.unlock(TEST_PASSPHRASE)).toEqual({ ok: true });
    expect(await app.open()).toEqual(keys);
  });
});
