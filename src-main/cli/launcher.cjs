#!/usr/bin/env node
// Entry of the `raincoat` command: refuses unsupported Node versions in one line, then runs the CLI:
// the TypeScript source on a Node that strips types (22.18+, 24), else the bundle from `npm run build`.
'use strict';
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`raincoat needs Node 22.12 or newer (this is ${process.versions.node}); run "npm run setup" in the Raincoat folder, or install Node 24 from https://nodejs.org\n`);
  process.exit(2);
}
const path = require('node:path');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');
const bundle = path.join(__dirname, '..', '..', 'dist', 'cli', 'raincoat.mjs');
const source = path.join(__dirname, 'raincoat.ts');
// Node refuses to strip types of files inside node_modules, so an installed copy uses the bundle.
const fromSource = process.features.typescript && !__dirname.split(path.sep).includes('node_modules');
const entry = fromSource || !fs.existsSync(bundle) ? source : bundle;
import(pathToFileURL(entry).href).then((cli) => cli.main(), (error) => {
  process.stderr.write(`raincoat: cannot start: ${error && error.message}\n`);
  process.exit(2);
});
