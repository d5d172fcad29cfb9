import { describe, expect, it } from 'vitest';
import type { SafeStorageCalls } from './safeStorageBox.ts';
import { safeStorageBox } from './safeStorageBox.ts';

/** Stands in for safeStorage: "encrypts" by reversing the text behind a marker, and says what it was asked. */
function fakeStorage(options: { available?: boolean; backend?: ReturnType<SafeStorageCalls['getSelectedStorageBackend']>; reEncrypt?: boolean } = {}) {
  const sealedTexts: string[] = [];
  const storage: SafeStorageCalls = {
    isAsyncEncryptionAvailable: async () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptStringAsync: async (text) => (sealedTexts.push(text), Buffer.from(`sealed:${[...text].reverse().join('')}`)),
    decryptStringAsync: async (encrypted) => {
      const text = encrypted.toString();
      if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: [...text.slice('sealed:'.length)].reverse().join(''), shouldReEncrypt: options.reEncrypt ?? false };
    },
  };
  return { storage, sealedTexts };
}

describe('safeStorageBox', () => {
  it('seals a key through safeStorage and opens it back, passing on a request to seal it again', async () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const { storage, sealedTexts } = fakeStorage({ reEncrypt: true });
    const box = (await safeStorageBox(storage, 'darwin'))!;
    expect(box.name).toBe('electron-safe-storage');
    const sealed = await box.seal(key);
    expect(sealedTexts).toEqual([Buffer.from(key).toString('base64url')]);
    expect(await box.open(sealed)).toEqual({ secret: key, reseal: true });
  });

  it.each([
    ['safeStorage is not available', { available: false }, 'win32'],
    ['Linux has no keyring, only the basic_text fallback', { backend: 'basic_text' as const }, 'linux'],
  ])('is none when %s', async (_, options, platform) => {
    expect(await safeStorageBox(fakeStorage(options).storage, platform as NodeJS.Platform)).toBeUndefined();
  });

  it('is there on Linux with a keyring', async () => {
    expect(await safeStorageBox(fakeStorage({ backend: 'kwallet6' }).storage, 'linux')).toBeDefined();
  });
});
