// Writes a file so that a crash leaves either the old or the new content, never a mix; reads one that may be missing.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Temporary file beside the target (a rename is only atomic within one file system), then fsync, rename, fsync the directory. */
export async function writeFileAtomic(file: string, text: string, mode = 0o600): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // Without this the rename itself may be lost on power failure, bringing the old file back.
  const directory = await open(dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** The file's text, or null when there is no such file; any other failure (permissions, a directory) throws. */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Moves a file out of the way as `<file>.corrupt-<timestamp>` and returns that name. */
export async function keepAside(file: string, now: Date): Promise<string> {
  const keptAs = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, keptAs);
  return keptAs;
}
