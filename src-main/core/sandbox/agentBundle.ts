// Where the agent bundle the sandbox runs is: `npm run build` writes it to resources/agent/ (src-agent/build.ts), which
// is two folders up from the bundled command line (dist/cli/) and three from this source file.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUNDLE = 'resources/agent/raincoat-agent.mjs';

export type FoundBundle = { ok: true; file: string } | { ok: false; message: string };

/** `from` is the URL of the module asking (this one, whether run from source or bundled). */
export function findAgentBundle(from: string = import.meta.url, exists: (file: string) => boolean = existsSync): FoundBundle {
  const candidates = [`../../${BUNDLE}`, `../../../${BUNDLE}`].map((relative) => fileURLToPath(new URL(relative, from)));
  const file = candidates.find(exists);
  if (file !== undefined) return { ok: true, file };
  return { ok: false, message: `the agent bundle is not built (${BUNDLE} is missing): run "npm run build" in the Raincoat folder first, or pass --agent FILE` };
}
