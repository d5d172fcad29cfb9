// An unlocker for tests: a known passphrase, a cheap scrypt cost for what it creates, and the notices it was told.
import type { ScryptCost } from '../../../src-shared/secrets/sealedEnvelope.ts';
import type { OsBox } from './osBox.ts';
import { createUnlocker } from './unlocker.ts';
import type { PassphraseNeed, Unlocker } from './unlocker.ts';

export const TEST_PASSPHRASE = 'a test passphrase, long enough';
/** The cheapest cost the envelope accepts: 16 MiB, tens of milliseconds. */
export const CHEAP_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };

export interface TestUnlocker extends Unlocker {
  notices: string[];
  /** Each time the passphrase was asked for, and for what. */
  asked: PassphraseNeed[];
}

/** `passphrase`: what the person asks types; undefined: none to give (as with no terminal and no RAINCOAT_PASSPHRASE). */
export function testUnlocker(options: { passphrase?: string | undefined; box?: OsBox } = {}): TestUnlocker {
  const notices: string[] = [];
  const asked: PassphraseNeed[] = [];
  const passphrase = 'passphrase' in options ? options.passphrase : TEST_PASSPHRASE;
  const unlocker = createUnlocker({
    ...(options.box ? { box: options.box } : {}),
    cost: CHEAP_COST,
    notice: (line) => notices.push(line),
    // A person types it: asked only when a person may be asked.
    passphrase: async (need, person) => {
      if (!person) return { ok: false, message: 'no passphrase without asking' };
      asked.push(need);
      return passphrase === undefined ? { ok: false, message: 'no passphrase: none in this test' } : { ok: true, passphrase, from: 'of the test' };
    },
  });
  return { ...unlocker, notices, asked };
}

/** An OS store in memory: what it sealed it opens; after `rotate()` it asks for what it sealed before to be sealed again. */
export function memoryBox(name = 'test-box'): OsBox & { sealed: number; rotate(): void; fail: boolean } {
  const XOR = 0x5a;
  // The first byte says which of the store's keys sealed it.
  let generation = 1;
  const box = {
    name,
    sealed: 0,
    fail: false,
    rotate: () => void generation++,
    async seal(secret: Uint8Array) {
      if (box.fail) throw new Error('the store is not available');
      box.sealed++;
      return Uint8Array.from([generation, ...secret.map((b) => b ^ XOR)]);
    },
    async open(sealed: Uint8Array) {
      if (box.fail || sealed[0] === undefined || sealed[0] > generation) return undefined;
      return { secret: Uint8Array.from(sealed.subarray(1), (b) => b ^ XOR), reseal: sealed[0] !== generation };
    },
  };
  return box;
}
