// Writes a set of files (configuration, certificates, keys) into a folder, owner-only, refusing paths that leave it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';

/** Relative path → content. */
export type FileMap = Readonly<Record<string, string | Uint8Array>>;

/** Writes every file under `dir` with mode 0600 (keys are among them), creating folders with 0700. Returns the absolute paths. */
export function writeFiles(dir: string, files: FileMap): string[] {
  return Object.entries(files).map(([relative, content]) => {
    const clean = normalize(relative);
    if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) {
      throw new Error(`lab: file path "${relative}" must stay inside its folder`);
    }
    const path = join(dir, clean);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  });
}
