// Bundles the agent into one ES module file that needs nothing but Node 22+: `node src-agent/build.ts [OUTFILE]`.
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_BUNDLE = path.join(repo, 'resources', 'agent', 'raincoat-agent.mjs');
/** The ceiling for the bundle. */
export const MAX_BUNDLE_BYTES = 2 * 1024 * 1024;

/**
 * zod's namespace export drags in all its ~40 message locales (half the bundle, and megabytes of every agent's memory);
 * the agent only ever uses the English one, which zod installs by default.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** `readable`: names and lines kept (not minified), for CPU profiles that say where the time goes. */
export async function buildAgentBundle(outfile = DEFAULT_BUNDLE, options: { readable?: boolean } = {}): Promise<{ outfile: string; bytes: number }> {
  const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
  await build({
    entryPoints: [path.join(repo, 'src-agent', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: !options.readable,
    legalComments: 'none',
    define: { RAINCOAT_AGENT_VERSION: JSON.stringify(version) },
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
    plugins: [zodEnglishOnly],
  });
  const bytes = statSync(outfile).size;
  if (bytes > MAX_BUNDLE_BYTES) throw new Error(`the agent bundle is ${bytes} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit`);
  return { outfile, bytes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildAgentBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`${path.relative(process.cwd(), result.outfile)}: ${result.bytes} bytes`);
}
