// The record render keeps in its output folder of the files it wrote there, so that a later render removes only those.
import { join } from 'node:path';
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import { formatJsonError, parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';

export const MANIFEST_FILE = 'raincoat-render.json';

/**
 * Format history:
 * - 1 (2026-12-07): `{format, files}`, the paths render wrote, relative to the folder, `/`-separated.
 */
const MANIFEST_FORMAT = 1;

const ManifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  files: z.array(z.string().min(1).refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'expected a path inside the folder')),
});

export type ReadManifest = { ok: true; files: string[] | null } | { ok: false; reason: string };

/** The files the manifest in `folder` records; null when there is none (no render wrote there). */
export async function readRenderManifest(folder: string): Promise<ReadManifest> {
  const file = join(folder, MANIFEST_FILE);
  const text = await readTextIfExists(file);
  if (text === null) return { ok: true, files: null };
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, reason: formatJsonError(file, json) };
  const parsed = ManifestSchema.safeParse(json.value);
  if (!parsed.success) return { ok: false, reason: `${file}: ${zodProblems(parsed.error, 'manifest').map(formatProblem).join('; ')}` };
  return { ok: true, files: parsed.data.files };
}

/** Replaces the manifest atomically: it names either the old set of files or the new one, also across a crash. */
export async function writeRenderManifest(folder: string, files: Iterable<string>): Promise<void> {
  const manifest = { format: MANIFEST_FORMAT, files: [...new Set(files)].sort() };
  await writeFileAtomic(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`, 0o600);
}
