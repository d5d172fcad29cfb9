// Test-only: writes rendered files under a folder with their modes, as `raincoat render` would.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedFile } from '../renderNodeFiles.ts';

export function writeRenderedFiles(dir: string, files: readonly RenderedFile[]): void {
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { mode: file.mode });
    chmodSync(path, file.mode);
  }
}
