// Writes files that hold secrets: mode 0600 from the moment they exist, replaced atomically.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const SECRET_FILE_MODE = 0o600;

/** Writes `data` to `file` with mode 0600 (whatever the umask), through a temporary file renamed over it. */
export async function writeSecretFile(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', SECRET_FILE_MODE);
  try {
    await handle.chmod(SECRET_FILE_MODE);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
}
