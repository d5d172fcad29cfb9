import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../render/renderNodeFiles.ts';
import { MANIFEST_FILE } from './renderManifest.ts';
import { writeRenderedTree } from './writeRenderedTree.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-output-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const file = (path: string, mode: 0o600 | 0o644 = 0o644): RenderedFile => ({ path, content: `${path}\n`, mode });
const recorded = async (out: string) => JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')).files;

describe('writeRenderedTree', () => {
  it('writes the files with their modes and records them', async () => {
    const out = join(dir, 'out');
    const outcome = await writeRenderedTree(out, [file('a.crt'), file('root-1/pki/x.key', 0o600)]);
    expect(outcome).toMatchObject({ kind: 'written', plan: { created: 2, remove: [] } });
    expect(await readFile(join(out, 'root-1/pki/x.key'), 'utf8')).toBe('root-1/pki/x.key\n');
    expect(statSync(join(out, 'root-1/pki/x.key')).mode & 0o777).toBe(0o600);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(await recorded(out)).toEqual(['a.crt', 'root-1/pki/x.key']);
  });

  it('removes what it wrote before and no longer writes, and the folders that leaves empty', async () => {
    await writeRenderedTree(dir, [file('a.crt'), file('root-1/pki/x.key'), file('root-2/pki/y.key'), file('root-2/vyos.set')]);
    const outcome = await writeRenderedTree(dir, [file('a.crt'), file('root-1/vyos.set')]);
    expect(outcome).toMatchObject({ kind: 'written', plan: { remove: ['root-1/pki/x.key', 'root-2/pki/y.key', 'root-2/vyos.set'], emptied: ['root-2'] } });
    expect((await readdir(dir)).sort()).toEqual(['a.crt', MANIFEST_FILE, 'root-1']);
    expect(await readdir(join(dir, 'root-1'))).toEqual(['vyos.set']);
    expect(await recorded(dir)).toEqual(['a.crt', 'root-1/vyos.set']);
  });

  it('plans only with dryRun, and leaves the caller’s own files alone', async () => {
    await writeFile(join(dir, 'keys.json'), '{}');
    const outcome = await writeRenderedTree(dir, [file('a.crt')], { dryRun: true, own: ['keys.json'] });
    expect(outcome).toEqual({ kind: 'planned', plan: { write: ['a.crt'], created: 1, remove: [], emptied: [], kept: [] } });
    expect(await readdir(dir)).toEqual(['keys.json']);
    expect((await writeRenderedTree(dir, [file('a.crt')], { own: ['keys.json'] })).kind).toBe('written');
    expect(await recorded(dir)).toEqual(['a.crt']);
  });

  it.each([
    ['a file where the folder should be', async () => writeFile(join(dir, 'out'), 'x'), /out exists and is not a folder$/],
    ['a manifest that is not JSON', async () => (await mkdir(join(dir, 'out')), writeFile(join(dir, 'out', MANIFEST_FILE), '{"format": 1,')), /raincoat-render\.json:1:14: not JSON: unexpected end of file; nothing was written$/],
    ['a manifest naming a path outside the folder', async () => (await mkdir(join(dir, 'out')), writeFile(join(dir, 'out', MANIFEST_FILE), '{"format": 1, "files": ["../etc/passwd"]}')), /files\[0\]: expected a path inside the folder/],
    ['a folder no render wrote', async () => (await mkdir(join(dir, 'out')), writeFile(join(dir, 'out', 'notes.txt'), 'x')), /out: holds files that no render wrote \(notes\.txt\)/],
  ])('refuses %s and changes nothing', async (_what, prepare, reason) => {
    await prepare();
    const before = existsSync(join(dir, 'out')) && statSync(join(dir, 'out')).isDirectory() ? await readdir(join(dir, 'out')) : null;
    const outcome = await writeRenderedTree(join(dir, 'out'), [file('a.crt')]);
    expect(outcome).toEqual({ kind: 'refused', reason: expect.stringMatching(reason) });
    if (before) expect(await readdir(join(dir, 'out'))).toEqual(before);
  });
});
