// Builds the application bundles (node build.mjs) once per test process, so e2e tests drive what they would ship.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
let built = false;

export function buildApp(): void {
  if (built) return;
  execFileSync(process.execPath, ['build.mjs'], { cwd: REPO, stdio: 'pipe' });
  built = true;
}
