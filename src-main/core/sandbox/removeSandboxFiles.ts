// Removes what a sandbox wrote in its folder, by name (SANDBOX_FILES), and the folder once nothing else is in it: a file
// the user put there stays, and so does the folder holding it.
import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';

/** `keep`: names of SANDBOX_FILES to leave (the logs of a sandbox that failed to start, to read why). */
export async function removeSandboxFiles(dir: string, keep: readonly string[] = []): Promise<void> {
  for (const name of Object.values(SANDBOX_FILES)) if (!keep.includes(name)) await rm(path.join(dir, name), { recursive: true, force: true });
  await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST' && error.code !== 'ENOENT') throw error;
  });
}
