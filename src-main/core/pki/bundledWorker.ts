// Where the bulk certificate issuer's worker is when the code runs bundled (the CLI, the Electron shell): beside the bundle.
import { existsSync } from 'node:fs';

/** In the bundled CLI the bulk issuer's worker sits beside the bundle; from source, the issuer finds its own. */
export function bundledWorker(): { workerUrl: URL } | undefined {
  const url = new URL('./issueWorker.mjs', import.meta.url);
  return existsSync(url) ? { workerUrl: url } : undefined;
}
