// A folder the agent owns, read and written as a whole: what is in the target and nowhere else ends up on disk.
import { chmod, mkdir, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../../src-node/atomicFile.ts';
import type { FileSnapshot } from './types.ts';

export interface FileTree {
  read(): Promise<FileSnapshot>;
  /** Makes the folder hold exactly `target`; returns the paths created, changed (content or mode) or removed, sorted. */
  write(target: FileSnapshot): Promise<string[]>;
}

/** The paths whose content or mode differ between two snapshots, or that only one has, sorted. */
export function changedPaths(current: FileSnapshot, target: FileSnapshot): string[] {
  const paths = new Set([...Object.keys(current), ...Object.keys(target)]);
  return [...paths]
    .filter((p) => {
      const a = current[p];
      const b = target[p];
      return a === undefined || b === undefined || a.content !== b.content || a.mode !== b.mode;
    })
    .sort();
}

// writeFileAtomic's temporary files: never part of the managed content.
const TEMPORARY = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;

export interface DiskFileTreeOptions {
  /** Given, the folder and every folder holding a file of the target get exactly this mode at each write. */
  folderMode?: number;
}

export function diskFileTree(root: string, treeOptions: DiskFileTreeOptions = {}): FileTree {
  const absolute = resolve(root);
  const inside = (path: string): string => {
    const full = resolve(absolute, path);
    if (full === absolute || !full.startsWith(absolute + sep)) throw new Error(`refusing to write outside ${absolute}: ${path}`);
    return full;
  };

  async function read(): Promise<FileSnapshot> {
    const snapshot: FileSnapshot = {};
    async function walk(folder: string): Promise<void> {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      // All at once rather than one after another: in a busy process (the sandbox's hundreds of agents) each wait
      // is long, and a node's backup and apply read and write a few dozen files.
      await Promise.all(
        entries.map(async (entry) => {
          const full = join(folder, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (entry.isFile() && !TEMPORARY.test(entry.name)) {
            const [content, info] = await Promise.all([readFile(full, 'utf8'), stat(full)]);
            snapshot[relative(absolute, full).split(sep).join('/')] = { content, mode: info.mode & 0o777 };
          }
        }),
      );
    }
    await walk(absolute);
    return snapshot;
  }

  async function write(target: FileSnapshot): Promise<string[]> {
    const current = await read();
    const changed = changedPaths(current, target);
    if (treeOptions.folderMode !== undefined) await setFolderModes(absolute, Object.keys(target).map(inside), treeOptions.folderMode);
    // Removals first, so that no emptied folder is pruned under a file being written into it; then the rest at once.
    const removed = changed.filter((path) => target[path] === undefined);
    await Promise.all(removed.map(async (path) => {
      await unlink(inside(path));
      await pruneEmptyFolders(absolute, inside(path));
    }));
    await Promise.all(changed.filter((path) => target[path] !== undefined).map((path) => {
      const want = target[path]!;
      const have = current[path];
      return have !== undefined && have.content === want.content ? chmod(inside(path), want.mode) : writeFileAtomic(inside(path), want.content, want.mode);
    }));
    return changed;
  }

  return { read, write };
}

/** Made where missing, then chmod-ed (mkdir's mode is narrowed by the umask, and a folder may predate the option). */
async function setFolderModes(root: string, files: readonly string[], mode: number): Promise<void> {
  const folders = new Set([root]);
  for (const file of files) for (let folder = dirname(file); folder !== root && folder.startsWith(root + sep); folder = dirname(folder)) folders.add(folder);
  for (const folder of [...folders].sort()) {
    await mkdir(folder, { recursive: true, mode });
    await chmod(folder, mode);
  }
}

async function pruneEmptyFolders(root: string, removedFile: string): Promise<void> {
  for (let folder = resolve(removedFile, '..'); folder !== root && folder.startsWith(root + sep); folder = resolve(folder, '..')) {
    try {
      await rmdir(folder);
    } catch {
      return;
    }
  }
}
