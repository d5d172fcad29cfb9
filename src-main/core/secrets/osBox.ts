// What the core asks of the OS's own secret store (Electron's safeStorage in the application): to seal a data key so
// that only this user on this machine opens it, without a passphrase. The core never imports electron; the shell
// adapts safeStorage to this (src-main/shell/safeStorageBox.ts).

export interface OsBox {
  /** Names the store in an envelope (`electron-safe-storage`): a key sealed by another store is not tried. */
  name: string;
  seal(secret: Uint8Array): Promise<Uint8Array>;
  /**
   * The secret, or undefined (or a throw) when this store cannot open it: another user, machine or keyring. `reseal`
   * when the store asks for it to be sealed again (its own key rotated).
   */
  open(sealed: Uint8Array): Promise<{ secret: Uint8Array; reseal: boolean } | undefined>;
}
