import { describe, expect, it } from 'vitest';
import { SealedEnvelopeSchema } from '../../../src-shared/secrets/sealedEnvelope.ts';
import type { SealedEnvelope } from '../../../src-shared/secrets/sealedEnvelope.ts';
import { CHEAP_COST, memoryBox, TEST_PASSPHRASE } from './unlocker.testkit.ts';
import { createVault, openWithBox, openWithPassphrase } from './vault.ts';

const SECRET = new TextEncoder().encode('-----BEGIN PRIVATE KEY-----\nthe overlay secret\n');
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

/** The envelope with one base64url character of `field` changed. */
function tampered(envelope: SealedEnvelope, field: 'data' | 'passphraseKey'): SealedEnvelope {
  const ct = envelope[field].ct;
  const flipped = `${ct.slice(0, 5)}${ct[5] === 'A' ? 'B' : 'A'}${ct.slice(6)}`;
  return { ...envelope, [field]: { ...envelope[field], ct: flipped } };
}

describe('a vault', () => {
  it('seals into a valid envelope that shows nothing of the data, and opens it with the passphrase alone', async () => {
    const vault = await createVault(TEST_PASSPHRASE, undefined, CHEAP_COST);
    const envelope = await vault.seal('overlay-keys', SECRET, 'portable');
    expect(SealedEnvelopeSchema.parse(envelope)).toEqual(envelope);
    expect(JSON.stringify(envelope)).not.toMatch(/PRIVATE KEY|overlay secret/);
    expect(envelope.passphraseKey).toMatchObject({ kdf: 'scrypt', ...CHEAP_COST });
    const opened = await openWithPassphrase(envelope, 'overlay-keys', TEST_PASSPHRASE, undefined);
    expect(opened.ok && text(opened.vault.open(envelope, 'overlay-keys'))).toBe(text(SECRET));
  });

  it('seals every envelope under one passphrase wrap, with a fresh nonce each time', async () => {
    const vault = await createVault(TEST_PASSPHRASE, undefined, CHEAP_COST);
    const [a, b] = [await vault.seal('overlay-keys', SECRET, 'portable'), await vault.seal('administrator-state', SECRET, 'portable')];
    expect(a.passphraseKey).toEqual(b.passphraseKey);
    expect(a.data.iv).not.toBe(b.data.iv);
    expect(vault.holds(b)).toBe(true);
    // Opened from one, the vault opens the other: a root's copy opens with what the keys file unlocked.
    const opened = await openWithPassphrase(a, 'overlay-keys', TEST_PASSPHRASE, undefined);
    expect(opened.ok && text(opened.vault.open(b, 'administrator-state'))).toBe(text(SECRET));
  });

  it.each([
    ['a wrong passphrase', (e: SealedEnvelope) => e, 'not the passphrase, long enough', 'wrong-passphrase'],
    ['a changed wrapped key', (e: SealedEnvelope) => tampered(e, 'passphraseKey'), TEST_PASSPHRASE, 'wrong-passphrase'],
    ['changed data', (e: SealedEnvelope) => tampered(e, 'data'), TEST_PASSPHRASE, 'damaged'],
    ['data sealed for another purpose', (e: SealedEnvelope) => ({ ...e, purpose: 'administrator-state' }), TEST_PASSPHRASE, 'damaged'],
  ])('does not open with %s, and says which', async (_, change, passphrase, why) => {
    const vault = await createVault(TEST_PASSPHRASE, undefined, CHEAP_COST);
    const envelope = change(await vault.seal('overlay-keys', SECRET, 'portable'));
    expect(await openWithPassphrase(envelope, 'overlay-keys', passphrase, undefined)).toEqual({ ok: false, why });
  });

  it('opens an envelope under another purpose than its own to nothing', async () => {
    const vault = await createVault(TEST_PASSPHRASE, undefined, CHEAP_COST);
    expect(vault.open(await vault.seal('overlay-keys', SECRET, 'portable'), 'administrator-state')).toBeUndefined();
  });

  it("adds the OS store's wrap for this machine only, and opens by it without the passphrase", async () => {
    const box = memoryBox();
    const vault = await createVault(TEST_PASSPHRASE, box, CHEAP_COST);
    expect((await vault.seal('overlay-keys', SECRET, 'portable')).osKey).toBeUndefined();
    const local = await vault.seal('overlay-keys', SECRET, 'this-machine');
    expect(local.osKey?.box).toBe('test-box');
    await vault.seal('overlay-keys', SECRET, 'this-machine');
    expect(box.sealed).toBe(1);
    const opened = await openWithBox(local, 'overlay-keys', box);
    expect(text(opened?.open(local, 'overlay-keys'))).toBe(text(SECRET));
  });

  it.each([
    ['another store', () => memoryBox('other-box')],
    ['a store that cannot open it', () => Object.assign(memoryBox(), { fail: true })],
  ])('leaves an envelope to the passphrase with %s', async (_, other) => {
    const vault = await createVault(TEST_PASSPHRASE, memoryBox(), CHEAP_COST);
    const local = await vault.seal('overlay-keys', SECRET, 'this-machine');
    expect(await openWithBox(local, 'overlay-keys', other())).toBeUndefined();
  });

  it('keeps the wrap a store made when opened elsewhere with the passphrase, and wraps again once the store rotated', async () => {
    const box = memoryBox();
    const local = await (await createVault(TEST_PASSPHRASE, box, CHEAP_COST)).seal('overlay-keys', SECRET, 'this-machine');
    const elsewhere = await openWithPassphrase(local, 'overlay-keys', TEST_PASSPHRASE, undefined);
    expect(elsewhere.ok && (await elsewhere.vault.seal('overlay-keys', SECRET, 'this-machine')).osKey).toEqual(local.osKey);

    box.rotate();
    const rotated = await openWithBox(local, 'overlay-keys', box);
    const again = await rotated!.seal('overlay-keys', SECRET, 'this-machine');
    expect(box.sealed).toBe(2);
    expect(again.osKey).not.toEqual(local.osKey);
  });

  it('seals with the passphrase alone when the store fails', async () => {
    const box = Object.assign(memoryBox(), { fail: true });
    const vault = await createVault(TEST_PASSPHRASE, box, CHEAP_COST);
    expect((await vault.seal('overlay-keys', SECRET, 'this-machine')).osKey).toBeUndefined();
  });
});
