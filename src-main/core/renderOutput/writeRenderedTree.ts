// Writes rendered files under a folder, mirroring the plan: creates what is new, rewrites what changed,
// and removes node folders and client profiles that the plan no longer has.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { writeFileAtomic } from '../../../src-node/atomicFile.ts';

/** Names this writer owns at the top of the output folder; anything else there is left alone. */
const OWNED_NODE_DIR = /^(root-\d+|leaf-\d+-\d+)$/;

export interface WriteSummary {
  written: number;
  removed: string[];
}

export async function writeRenderedTree(outDir: string, files: readonly RenderedFile[], concurrency = 64): Promise<WriteSummary> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const removed = await removeStale(outDir, files);
  const dirs = new Set(files.map((f) => path.dirname(path.join(outDir, f.path))));
  for (const dir of dirs) await mkdir(dir, { recursive: true, mode: 0o700 });
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const target = path.join(outDir, file.path);
      // Secrets go through a temporary file created 0600 and renamed, so they are never readable by others.
      if (file.mode === 0o600) await writeFileAtomic(target, file.content, 0o600);
      else await writeFile(target, file.content, { mode: file.mode });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return { written: files.length, removed };
}

async function removeStale(outDir: string, files: readonly RenderedFile[]): Promise<string[]> {
  const wanted = new Set(files.map((f) => f.path.split('/')[0]!));
  const wantedProfiles = new Set(files.filter((f) => f.path.startsWith('clients/')).map((f) => f.path.slice('clients/'.length)));
  const removed: string[] = [];
  for (const entry of await readdir(outDir, { withFileTypes: true })) {
    if (entry.isDirectory() && OWNED_NODE_DIR.test(entry.name) && !wanted.has(entry.name)) {
      await rm(path.join(outDir, entry.name), { recursive: true, force: true });
      removed.push(entry.name);
    }
  }
  const clientsDir = path.join(outDir, 'clients');
  const profiles = await readdir(clientsDir).catch(() => [] as string[]);
  for (const name of profiles) {
    if (name.endsWith('.ovpn') && !wantedProfiles.has(name)) {
      await rm(path.join(clientsDir, name), { force: true });
      removed.push(`clients/${name}`);
    }
  }
  return removed;
}
