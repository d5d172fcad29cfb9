// Electron's safeStorage as the core's OS store (OsBox): the overlay's data key sealed by the OS's keychain, so that the
// application opens the overlay's keys on this machine, for this user, without asking for their passphrase.
import type { SafeStorage } from 'electron';
import type { OsBox } from '../core/secrets/osBox.ts';

/** What the box uses of safeStorage: the asynchronous calls (the synchronous ones are deprecated since Electron 35). */
export type SafeStorageCalls = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptStringAsync' | 'decryptStringAsync'>;

export const SAFE_STORAGE_BOX = 'electron-safe-storage';

/**
 * The box once the app is ready, or undefined where safeStorage protects nothing: when it is not available, and on
 * Linux without a keyring, where Chromium falls back to `basic_text`, a key written in its own source. The passphrase
 * is then asked for, as on the command line.
 */
export async function safeStorageBox(storage: SafeStorageCalls, platform: NodeJS.Platform): Promise<OsBox | undefined> {
  if (!(await storage.isAsyncEncryptionAvailable())) return undefined;
  if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return {
    name: SAFE_STORAGE_BOX,
    // safeStorage seals strings: the key travels as base64url.
    seal: async (secret) => new Uint8Array(await storage.encryptStringAsync(Buffer.from(secret).toString('base64url'))),
    async open(sealed) {
      const { result, shouldReEncrypt } = await storage.decryptStringAsync(Buffer.from(sealed));
      return { secret: new Uint8Array(Buffer.from(result, 'base64url')), reseal: shouldReEncrypt };
    },
  };
}
