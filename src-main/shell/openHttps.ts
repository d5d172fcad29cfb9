// Opens an address in the system's browser, for https addresses only: shell.openExternal would also run file: and custom schemes.
import type { Shell } from 'electron';

/** Resolves false, opening nothing, for anything but an https URL. */
export async function openHttps(shell: Pick<Shell, 'openExternal'>, address: string): Promise<boolean> {
  if (!URL.canParse(address) || new URL(address).protocol !== 'https:') return false;
  await shell.openExternal(address);
  return true;
}
