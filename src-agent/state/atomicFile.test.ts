import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonStateFile, readJsonFile, writeFileAtomic } from './atomicFile.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const Schema = z.strictObject({ n: z.number() });
const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

describe('writeFileAtomic', () => {
  it('creates folders, replaces content, sets the mode exactly and leaves no temporary file', async () => {
    const path = join(dir, 'a', 'b', 'state.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two', 0o644);
    expect(await readFile(path, 'utf8')).toBe('two');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    await writeFileAtomic(path, 'three');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['state.json']);
  });

  it('fails without a trace when the target cannot be replaced', async () => {
    const path = join(dir, 'taken');
    await writeFileAtomic(join(path, 'inner'), 'x');
    await expect(writeFileAtomic(path, 'y')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['taken']);
  });
});

describe('readJsonFile', () => {
  it('reports a missing file', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), Schema)).toEqual({ kind: 'missing' });
  });

  it('reads a valid file', async () => {
    const store = jsonStateFile(join(dir, 's.json'), Schema);
    await store.save({ n: 7 });
    expect(await store.load()).toEqual({ kind: 'ok', value: { n: 7 } });
  });

  it.each([
    ['truncated JSON', '{"n": 1', /not JSON/],
    ['JSON of the wrong shape', '{"n": "one"}', /n: .*number/],
    ['an empty file', '', /not JSON/],
  ])('keeps %s aside and reports it', async (_name, content, reason) => {
    const path = join(dir, 'state.json');
    await writeFile(path, content);
    const result = await readJsonFile(path, Schema, () => AT);
    expect(result).toMatchObject({ kind: 'corrupt', keptAs: `${path}.corrupt-2026-01-02T03-04-05-006Z` });
    if (result.kind !== 'corrupt') throw new Error('expected corrupt');
    expect(result.reason).toMatch(reason);
    expect(await readFile(result.keptAs, 'utf8')).toBe(content);
    expect(await readJsonFile(path, Schema)).toEqual({ kind: 'missing' });
  });

  it('never overwrites an earlier corrupt copy', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, 'first');
    const first = await readJsonFile(path, Schema, () => AT);
    await writeFile(path, 'second');
    const second = await readJsonFile(path, Schema, () => AT);
    if (first.kind !== 'corrupt' || second.kind !== 'corrupt') throw new Error('expected corrupt');
    expect(second.keptAs).toBe(`${first.keptAs}-1`);
    expect(await readFile(first.keptAs, 'utf8')).toBe('first');
    expect(await readFile(second.keptAs, 'utf8')).toBe('second');
  });
});
