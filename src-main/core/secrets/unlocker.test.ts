import { describe, expect, it } from 'vitest';
import { createVault } from './vault.ts';
import { CHEAP_COST, memoryBox, TEST_PASSPHRASE, testUnlocker } from './unlocker.testkit.ts';

const DATA = new TextEncoder().encode('keys');

async function sealedWith(passphrase: string, box = memoryBox()) {
  return (await createVault(passphrase, box, CHEAP_COST)).seal('overlay-keys', DATA, 'this-machine');
}

describe('an unlocker', () => {
  it('asks for the passphrase once, then keeps the vault open for the run', async () => {
    const envelope = await sealedWith(TEST_PASSPHRASE);
    const unlocker = testUnlocker();
    expect((await unlocker.vaultFor(envelope, 'overlay-keys')).ok).toBe(true);
    expect((await unlocker.vaultFor(envelope, 'overlay-keys')).ok).toBe(true);
    expect((await unlocker.newVault()).ok).toBe(true);
    expect(unlocker.asked).toEqual(['open']);
  });

  it("opens by the OS store without asking when the envelope carries the store's wrap", async () => {
    const box = memoryBox();
    const envelope = await sealedWith(TEST_PASSPHRASE, box);
    const unlocker = testUnlocker({ passphrase: undefined, box });
    expect((await unlocker.vaultFor(envelope, 'overlay-keys', false)).ok).toBe(true);
    expect(unlocker.asked).toEqual([]);
  });

  it('asks nobody when told not to, and says the envelope did not open', async () => {
    const unlocker = testUnlocker();
    expect(await unlocker.vaultFor(await sealedWith(TEST_PASSPHRASE), 'overlay-keys', false)).toEqual({ ok: false, message: 'no passphrase without asking' });
    expect(unlocker.asked).toEqual([]);
  });

  it('says a wrong passphrase is wrong and where it came from, never what it is', async () => {
    const wrong = 'the wrong passphrase, typed';
    const opened = await testUnlocker({ passphrase: wrong }).vaultFor(await sealedWith(TEST_PASSPHRASE), 'overlay-keys');
    expect(opened).toEqual({ ok: false, message: 'wrong passphrase (the one of the test): it does not open these secrets; nothing was changed' });
  });

  it('passes on why there is no passphrase', async () => {
    expect(await testUnlocker({ passphrase: undefined }).newVault()).toEqual({ ok: false, message: 'no passphrase: none in this test' });
  });

  it.each([
    ['too short', 'eleven char', 'the new passphrase (the one of the test) must have at least 12 characters; nothing was changed'],
    ['too long', 'x'.repeat(1025), 'the new passphrase (the one of the test) must have at most 1024 characters; nothing was changed'],
  ])('refuses a new passphrase that is %s', async (_, passphrase, message) => {
    expect(await testUnlocker({ passphrase }).newVault()).toEqual({ ok: false, message });
  });

  it("takes the application's passphrase once: a wrong one changes nothing, the right one opens for the run", async () => {
    const envelope = await sealedWith(TEST_PASSPHRASE);
    const unlocker = testUnlocker({ passphrase: undefined });
    expect(await unlocker.unlockWith('not it, but long enough', { envelope, purpose: 'overlay-keys' })).toMatchObject({ ok: false, message: expect.stringMatching(/^wrong passphrase \(the one given\)/) });
    expect((await unlocker.vaultFor(envelope, 'overlay-keys', false)).ok).toBe(false);
    expect((await unlocker.unlockWith(TEST_PASSPHRASE, { envelope, purpose: 'overlay-keys' })).ok).toBe(true);
    expect((await unlocker.vaultFor(envelope, 'overlay-keys', false)).ok).toBe(true);
    expect(unlocker.asked).toEqual([]);
  });

  it('makes a new vault under the passphrase the application gives when there are no secrets yet', async () => {
    const unlocker = testUnlocker({ passphrase: undefined });
    expect(await unlocker.unlockWith('short', undefined)).toMatchObject({ ok: false });
    const made = await unlocker.unlockWith(TEST_PASSPHRASE, undefined);
    const envelope = made.ok ? await made.vault.seal('overlay-keys', DATA, 'portable') : undefined;
    expect((await testUnlocker().vaultFor(envelope!, 'overlay-keys')).ok).toBe(true);
    expect((await unlocker.newVault()).ok).toBe(true);
  });
});
