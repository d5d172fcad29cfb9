// The Electron binary's path, or why there is none; found the way `require('electron')` finds it, without requiring it
// (that tries to download the binary, which a machine without network access cannot do).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type FoundElectron = { path: string } | { missing: string };

export function findElectron(env: NodeJS.ProcessEnv = process.env): FoundElectron {
  let folder: string;
  try {
    folder = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed (npm run setup installs it)' };
  }
  const pathFile = join(folder, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `no Electron binary: ${folder} has no path.txt or dist/ (the install skipped the download)` };
  const binary = join(env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(folder, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary ${binary} does not exist` };
}
