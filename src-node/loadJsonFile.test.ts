import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJsonFile } from './loadJsonFile.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-json-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Which errno gives which reason (permission denied, too) is cannotReadReason's table; here, that the file reader uses it.
describe('loadJsonFile', () => {
  it.each([
    ['a trailing comma in an object', '{\n  "roots": [],\n  "tunnels": [],\n}\n', ':3:16: not JSON: trailing comma'],
    ['a trailing comma in an array', '[\n  1,\n  2,\n]', ':3:4: not JSON: trailing comma'],
    ['a missing quote', '{"name: 1}', ':1:2: not JSON: unterminated string'],
    ['an empty file', '', ':1:1: not JSON: the file is empty'],
  ])('reports %s as FILE:LINE:COLUMN on one line', async (_what, content, where) => {
    const file = join(dir, 'broken.json');
    await writeFile(file, content);
    expect(await loadJsonFile(file)).toEqual({ ok: false, message: `${file}${where}` });
  });

  it('reads a file that starts with a byte-order mark', async () => {
    const file = join(dir, 'bom.json');
    await writeFile(file, '\ufeff{"a": [1]}');
    expect(await loadJsonFile(file)).toEqual({ ok: true, value: { a: [1] } });
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.json'), 'no such file'],
    ['a folder', () => dir, 'is a directory'],
  ])('says why it cannot read %s', async (_what, file, reason) => {
    expect(await loadJsonFile(file())).toEqual({ ok: false, message: `${file()}: cannot read: ${reason}` });
  });
});
