import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { scratchDir, type Scratch } from './pkiTestKit.ts';
import { SECRET_FILE_MODE, writeSecretFile } from './secretFile.ts';

let scratch: Scratch;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.remove());

const mode = (file: string) => statSync(file).mode & 0o777;

test('a new secret file is mode 0600 whatever the umask', async () => {
  const file = path.join(scratch.dir, 'client.key');
  const umask = process.umask(0);
  try {
    await writeSecretFile(file, 'secret');
  } finally {
    process.umask(umask);
  }
  expect(SECRET_FILE_MODE).toBe(0o600);
  expect(mode(file)).toBe(0o600);
  expect(readFileSync(file, 'utf8')).toBe('secret');
});

test('replacing a world-readable file leaves a 0600 file and no temporary behind', async () => {
  const file = path.join(scratch.dir, 'root.key');
  writeFileSync(file, 'old', { mode: 0o644 });
  await writeSecretFile(file, Buffer.from('new'));
  expect(mode(file)).toBe(0o600);
  expect(readFileSync(file, 'utf8')).toBe('new');
  expect(readdirSync(scratch.dir)).toEqual(['root.key']);
});

test('a missing directory fails without writing anything', async () => {
  await expect(writeSecretFile(path.join(scratch.dir, 'nope', 'x.key'), 'secret')).rejects.toThrow(/ENOENT/);
  expect(readdirSync(scratch.dir)).toEqual([]);
});
