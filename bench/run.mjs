// Runs one benchmark: `npm run bench -- NAME` starts bench/NAME.bench.ts under this project's Node
// (which strips TypeScript types natively). The benchmark prints its figures as one JSON object on its last line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const name = process.argv[2];
if (!name || !existsSync(path.join(here, `${name}.bench.ts`))) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${names.join(', ') || 'none yet'})`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [path.join(here, `${name}.bench.ts`), ...process.argv.slice(3)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
