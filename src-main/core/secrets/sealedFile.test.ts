import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSealedFile, writeSealedFile } from './sealedFile.ts';
import { createVault } from './vault.ts';
import { CHEAP_COST, TEST_PASSPHRASE } from './unlocker.testkit.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'raincoat-sealed-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const envelope = async () => (await createVault(TEST_PASSPHRASE, undefined, CHEAP_COST)).seal('overlay-keys', new Uint8Array([1, 2, 3]), 'portable');

describe('a sealed file', () => {
  it('is written for its owner alone (0600, in a folder of 0700, narrowed if it was wider) and read back', async () => {
    const sealed = await envelope();
    const file = path.join(dir, 'state', 'overlay', 'keys.json');
    await writeSealedFile(file, sealed);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(await readSealedFile(file)).toEqual({ kind: 'sealed', envelope: sealed });

    const wide = path.join(dir, 'wide');
    mkdirSync(wide);
    chmodSync(wide, 0o755);
    await writeSealedFile(path.join(wide, 'keys.json'), sealed);
    expect(statSync(wide).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['no file', undefined, { kind: 'missing' }],
    ['a plain JSON file', '{"version": 1}', { kind: 'plain', text: '{"version": 1}' }],
    ['a file that is not JSON', '{"oops"', { kind: 'plain', text: '{"oops"' }],
  ])('reads %s as what it is', async (_, content, read) => {
    const file = path.join(dir, 'keys.json');
    if (content !== undefined) writeFileSync(file, content);
    expect(await readSealedFile(file)).toEqual(read);
  });

  it('refuses a damaged envelope, naming the places and quoting nothing', async () => {
    const file = path.join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ ...(await envelope()), data: { iv: 'short', ct: 'the secret in the clear' } }));
    await expect(readSealedFile(file)).rejects.toThrow(/keys\.json is a damaged sealed file \(data\.iv, data\.ct\)$/);
    await expect(readSealedFile(file)).rejects.not.toThrow(/secret/);
  });
});
