// Files replaced atomically (temporary file, fsync, rename, fsync of the folder), and the companions every state file
// needs: reading one that may be missing, keeping a corrupt one aside, sweeping temporaries a crash left behind.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, rename, rm, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const temporaryPrefix = (path: string): string => `.${basename(path)}.tmp-`;

/**
 * Whether writes wait for the disk (fsync). Always, but in the sandbox's host: its hundreds of agents share one disk and
 * one file system journal, which a real overlay's nodes never do, and a sandbox is thrown away, never recovered after a
 * power cut. At 250 agents their fsyncs queued behind one another: a root's dry-run apply took 9 s.
 */
let waitForDisk = true;

/** For the whole thread (every agent of a sandbox host's thread): writes stay atomic, no longer durable across a power cut. */
export function writeWithoutWaitingForDisk(): void {
  waitForDisk = false;
}

/**
 * After this resolves the file holds either its old or its new content, also across a power cut. Creates missing
 * folders; the file gets exactly `mode` (whatever the umask) before any content, so a secret is never readable by others.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const folder = dirname(path);
  // Beside the target, since a rename is only atomic within one file system.
  const temporary = join(folder, `${temporaryPrefix(path)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await openCreating(temporary, mode);
  try {
    await handle.chmod(mode);
    await handle.writeFile(data);
    if (waitForDisk) await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  // Without this the rename itself may be lost on power failure, bringing the old file back.
  await syncFolder(folder);
}

/**
 * Opens a new file, making its folder first only when it is missing: nearly every write goes to a folder that exists,
 * and a sandbox host's agents write thousands of files a deploy (a mkdir each cost a fifth of their writing).
 */
async function openCreating(path: string, mode: number): Promise<FileHandle> {
  try {
    return await open(path, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true });
    return open(path, 'wx', mode);
  }
}

async function syncFolder(folder: string): Promise<void> {
  if (!waitForDisk) return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The file's text, or null when there is no such file; any other failure (permissions, a directory) throws. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Moves a file out of the way as `<path>.<why>-<timestamp>` (`corrupt`, or `replaced` for one a restore replaces; a
 * counter added when that name is taken: an earlier kept file is never replaced) and returns that name.
 */
export async function keepAside(path: string, at: Date | number, why: 'corrupt' | 'replaced' = 'corrupt'): Promise<string> {
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt++) {
    const target = `${path}.${why}-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    try {
      // Hard link then unlink: unlike a rename, a link fails rather than replace what is there.
      await link(path, target);
      await unlink(path);
      await syncFolder(dirname(path));
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Removes the temporary files of `writeFileAtomic(path, …)` that a crash left half-written; they are never the file. */
export async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = temporaryPrefix(path);
  const folder = dirname(path);
  const names = await readdir(folder);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(folder, n), { force: true })));
}
