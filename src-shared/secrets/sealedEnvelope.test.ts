import { describe, expect, it } from 'vitest';
import { looksSealed, SealedEnvelopeSchema } from './sealedEnvelope.ts';

const b64 = (chars: number) => 'A'.repeat(chars);
const VALID = {
  format: 'raincoat-sealed',
  version: 1,
  purpose: 'overlay-keys',
  data: { iv: b64(16), ct: b64(40) },
  passphraseKey: { kdf: 'scrypt', N: 2 ** 17, r: 8, p: 1, salt: b64(22), iv: b64(16), ct: b64(64) },
  osKey: { box: 'electron-safe-storage', ct: b64(100) },
};

const withKey = (change: Record<string, unknown>) => ({ ...VALID, passphraseKey: { ...VALID.passphraseKey, ...change } });

describe('SealedEnvelopeSchema', () => {
  it('takes a valid envelope, with or without the OS store wrap', () => {
    expect(SealedEnvelopeSchema.safeParse(VALID).success).toBe(true);
    const { osKey: _, ...portable } = VALID;
    expect(SealedEnvelopeSchema.safeParse(portable).success).toBe(true);
  });

  it('takes the sealed keys of a large overlay (2,000 nodes seal some 6 MB)', () => {
    expect(SealedEnvelopeSchema.safeParse({ ...VALID, data: { iv: b64(16), ct: b64(8_000_000) } }).success).toBe(true);
  });

  it.each([
    ['scrypt N below 2^14', withKey({ N: 2 ** 13 }), 'passphraseKey.N'],
    ['scrypt N not a power of two', withKey({ N: 3 * 2 ** 15 }), 'passphraseKey.N'],
    ['scrypt needing more than 256 MiB', withKey({ N: 2 ** 19, r: 8 }), 'passphraseKey.N'],
    ['scrypt working more than 512 MiB over p', withKey({ N: 2 ** 18, r: 8, p: 3 }), 'passphraseKey.N'],
    ['scrypt p above 4', withKey({ p: 5 }), 'passphraseKey.p'],
    ['a salt shorter than 16 bytes', withKey({ salt: b64(21) }), 'passphraseKey.salt'],
    ['a wrapped key that is not 32 bytes and a tag', withKey({ ct: b64(63) }), 'passphraseKey.ct'],
    ['another key derivation', withKey({ kdf: 'pbkdf2' }), 'passphraseKey.kdf'],
    ['a nonce that is not 12 bytes', { ...VALID, data: { iv: b64(15), ct: b64(40) } }, 'data.iv'],
    ['data shorter than its tag', { ...VALID, data: { iv: b64(16), ct: b64(21) } }, 'data.ct'],
    ['data that is not base64url', { ...VALID, data: { iv: b64(16), ct: `${b64(30)}+/==` } }, 'data.ct'],
    ['a purpose with capitals', { ...VALID, purpose: 'Overlay-Keys' }, 'purpose'],
    ['a later version', { ...VALID, version: 2 }, 'version'],
    ['an unknown field', { ...VALID, extra: 1 }, ''],
  ])('refuses %s', (_, envelope, path) => {
    const parsed = SealedEnvelopeSchema.safeParse(envelope);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it.each([
    [VALID, true],
    [{ format: 'raincoat-sealed' }, true],
    [{ version: 1, keyType: 'ecdsa-p256' }, false],
    [null, false],
    ['raincoat-sealed', false],
  ])('tells what claims to be an envelope: %j', (value, sealed) => {
    expect(looksSealed(value)).toBe(sealed);
  });
});
