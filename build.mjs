// Builds every bundle with esbuild: the CLI, the Electron shell (main + preload), the renderer, and the agent
// (one file that needs only Node 22+; src-agent/build.ts owns its options: version stamp, size limit). Entries that do not exist yet are skipped with a note.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const node = { platform: 'node', target: 'node22', bundle: true, sourcemap: false, legalComments: 'none', logLevel: 'warning' };
// ESM bundles that pull in CommonJS dependencies need a real `require`.
const esmRequireBanner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };

/**
 * `import { z } from 'zod'` gives esbuild zod's whole namespace as one value, every locale in it (the renderer's first
 * paint parsed 985 kB, 450 of them zod's); `import * as z from 'zod'` is the same object member for member, and esbuild
 * keeps only the members used (625 kB). The shared code spells the first form, so the renderer's bundle reads it as the second.
 */
const zodByMember = {
  name: 'zod-by-member',
  setup(build) {
    build.onLoad({ filter: /[\\/]src-[a-z]+[\\/].*\.tsx?$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"),
      loader: args.path.endsWith('x') ? 'tsx' : 'ts',
    }));
  },
};

const bundles = [
  {
    ...node,
    entryPoints: { raincoat: 'src-main/cli/raincoat.ts', issueWorker: 'src-main/core/pki/issueWorker.ts' },
    outdir: 'dist/cli',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: esmRequireBanner,
  },
  {
    ...node,
    entryPoints: { main: 'src-main/shell/main.ts', preload: 'src-main/shell/preload.ts' },
    outdir: 'dist/shell',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    minify: true,
    // The core finds files beside itself through import.meta.url (the VyOS trees, the issuer's worker), which CommonJS lacks.
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
  {
    // The bulk issuer's worker beside the shell's bundle, as beside the CLI's.
    ...node,
    entryPoints: { issueWorker: 'src-main/core/pki/issueWorker.ts' },
    outdir: 'dist/shell',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: esmRequireBanner,
  },
  {
    platform: 'browser',
    target: 'chrome120',
    bundle: true,
    // The entry asks main for the first states and then imports the application (startApp), an entry of its own so that
    // its file has a name index.html can preload: the browser fetches both at once, and main works while it reads them.
    entryPoints: { app: 'src-renderer/main.tsx', startApp: 'src-renderer/app/startApp.tsx' },
    outdir: 'dist/renderer',
    format: 'esm',
    // What is imported only when used (elkjs, 1.5 MB, at the first automatic layout) goes in a chunk of its own, loaded
    // then: the first paint parses 1 MB instead of 2.5. Both hosts serve any .js file of the folder, from the same origin.
    // The entry's app.css holds every stylesheet, the application's too.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    jsx: 'automatic',
    loader: { '.css': 'css' },
    logLevel: 'warning',
    minify: true,
    plugins: [zodByMember],
  },
];

for (const options of bundles) {
  const entries = Object.values(options.entryPoints);
  const missing = entries.filter((e) => !existsSync(e));
  if (missing.length === entries.length) {
    console.log(`build: skipping ${options.outdir} (no ${missing.join(', ')} yet)`);
    continue;
  }
  const present = Object.fromEntries(Object.entries(options.entryPoints).filter(([, e]) => existsSync(e)));
  await build({ ...options, entryPoints: present });
  console.log(`build: ${options.outdir} <- ${Object.values(present).join(', ')}`);
}
// VyOS's configuration trees, which `raincoat render --check` and a deploy to VyOS nodes read beside the bundle.
const vyosTrees = 'src-main/core/vyosCheck/reference';
for (const bundle of ['dist/cli', 'dist/shell']) {
  mkdirSync(`${bundle}/reference`, { recursive: true });
  for (const name of readdirSync(vyosTrees)) copyFileSync(`${vyosTrees}/${name}`, `${bundle}/reference/${name}`);
}
if (existsSync('src-renderer/index.html')) {
  mkdirSync('dist/renderer', { recursive: true });
  copyFileSync('src-renderer/index.html', 'dist/renderer/index.html');
}

const { buildAgentBundle } = await import('./src-agent/build.ts');
const agent = await buildAgentBundle();
console.log(`build: ${agent.outfile} (${agent.bytes} bytes)`);
