#!/usr/bin/env node
// Entry of the `raincoat` command: refuses unsupported Node versions in one line, then runs the CLI
// (the bundle from `npm run build` when present, else the TypeScript source on a Node that strips types).
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
const entry = fs.existsSync(bundle) ? bundle : source;
import(pathToFileURL(entry).href).then((cli) => cli.main(), (error) => {
  process.stderr.write(`raincoat: cannot start: ${error && error.message}\n`);
  process.exit(2);
});
