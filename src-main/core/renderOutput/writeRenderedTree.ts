// Writes rendered files under a folder as planOutput decides: writes what is wanted, removes only what an earlier render
// wrote there and no longer wants, and records what it wrote in the folder's manifest.
import { mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { writeFileAtomic } from '../../../src-node/atomicFile.ts';
import type { OutputFolder, OutputPlan } from './outputPlan.ts';
import { planOutput } from './outputPlan.ts';
import { MANIFEST_FILE, readRenderManifest, writeRenderManifest } from './renderManifest.ts';

export type ReadFolder = { ok: true; folder: OutputFolder } | { ok: false; reason: string };

/**
 * What `outDir` holds and what render recorded there; a missing folder is an empty one. `own` names the caller's
 * bookkeeping files in the folder (the overlay's keys): neither output nor foreign, they are left out.
 */
export async function readOutputFolder(outDir: string, own: readonly string[] = []): Promise<ReadFolder> {
  const info = await stat(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (info === null) return { ok: true, folder: { existing: [], recorded: null } };
  if (!info.isDirectory()) return { ok: false, reason: `${outDir} exists and is not a folder` };
  const manifest = await readRenderManifest(outDir);
  if (!manifest.ok) return { ok: false, reason: `${manifest.reason}; nothing was written` };
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  const existing = entries
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(outDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((p) => p !== MANIFEST_FILE && !own.includes(p));
  return { ok: true, folder: { existing, recorded: manifest.files } };
}

export type WriteOutcome = { kind: 'refused'; reason: string } | { kind: 'planned' | 'written'; plan: OutputPlan };

export interface WriteOptions {
  /** Plan only: nothing in the folder changes (a refusal changes nothing either). */
  dryRun?: boolean;
  /** As for readOutputFolder. */
  own?: readonly string[];
  /** Told the plan once the folder has been judged fit, before anything is written. */
  onWrite?: (plan: OutputPlan) => void;
  /** The folder as the caller read it already (with the same `own`), so that it is not walked twice. */
  folder?: OutputFolder;
}

export async function writeRenderedTree(outDir: string, files: readonly RenderedFile[], options: WriteOptions = {}): Promise<WriteOutcome> {
  const read: ReadFolder = options.folder ? { ok: true, folder: options.folder } : await readOutputFolder(outDir, options.own);
  if (!read.ok) return { kind: 'refused', reason: read.reason };
  const planned = planOutput(read.folder, files.map((f) => f.path));
  if (!planned.ok) return { kind: 'refused', reason: `${outDir}: ${planned.reason}` };
  if (options.dryRun) return { kind: 'planned', plan: planned.plan };
  options.onWrite?.(planned.plan);
  await applyPlan(outDir, read.folder, planned.plan, files);
  return { kind: 'written', plan: planned.plan };
}

/**
 * The manifest names everything written before it is written and only what is wanted after, so whatever a crash
 * interrupts, every file render wrote is on record and a later render may replace or remove it.
 */
async function applyPlan(outDir: string, folder: OutputFolder, plan: OutputPlan, files: readonly RenderedFile[], concurrency = 64): Promise<void> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  await writeRenderManifest(outDir, [...(folder.recorded ?? []), ...plan.write]);
  for (const dir of new Set(files.map((f) => path.dirname(path.join(outDir, f.path))))) await mkdir(dir, { recursive: true, mode: 0o700 });
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
  for (const file of plan.remove) await rm(path.join(outDir, file), { force: true });
  await removeEmptyFolders(outDir, plan.remove);
  await writeRenderManifest(outDir, plan.write);
}

/** Removes the folders the removed files leave empty, deepest first; a folder still holding anything stays. */
async function removeEmptyFolders(outDir: string, removed: readonly string[]): Promise<void> {
  const folders = new Set<string>();
  for (const file of removed) {
    for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) folders.add(dir);
  }
  const deepestFirst = [...folders].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const dir of deepestFirst) {
    await rmdir(path.join(outDir, dir)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST' && error.code !== 'ENOENT') throw error;
    });
  }
}
