// Single files at fixed places on the host (VyOS's config.boot and the agent's scripts), behind an interface tests can fake.
import { readFile, unlink } from 'node:fs/promises';
import { writeFileAtomic } from '../../src-node/atomicFile.ts';

export interface HostFiles {
  read(path: string): Promise<string>;
  write(path: string, content: string, mode: number): Promise<void>;
  /** Succeeds when the file is already gone. */
  remove(path: string): Promise<void>;
}

export const diskHostFiles: HostFiles = {
  read: (path) => readFile(path, 'utf8'),
  write: (path, content, mode) => writeFileAtomic(path, content, mode),
  remove: (path) =>
    unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    }),
};
