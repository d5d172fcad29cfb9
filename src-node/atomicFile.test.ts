import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepAside, readTextIfExists, removeStaleTemporaries, writeFileAtomic } from './atomicFile.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('writeFileAtomic', () => {
  it('creates folders, replaces content, sets the mode exactly and leaves no temporary file', async () => {
    const path = join(dir, 'a', 'b', 'state.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two', 0o644);
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await modeOf(path)).toBe(0o644);
    await writeFileAtomic(path, Buffer.from('three'));
    expect(await readFile(path, 'utf8')).toBe('three');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['state.json']);
  });

  it.each([
    ['a permissive umask', 0o000],
    ['a restrictive umask', 0o077],
  ])('gives the mode asked for under %s', async (_name, umask) => {
    const previous = process.umask(umask);
    try {
      await writeFileAtomic(join(dir, 'secret.key'), 'secret');
      await writeFileAtomic(join(dir, 'public.crt'), 'cert', 0o644);
    } finally {
      process.umask(previous);
    }
    expect(await modeOf(join(dir, 'secret.key'))).toBe(0o600);
    expect(await modeOf(join(dir, 'public.crt'))).toBe(0o644);
  });

  it('makes a world-readable file it replaces 0600', async () => {
    const path = join(dir, 'root.key');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, 'new');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('fails without a trace when the target cannot be replaced', async () => {
    const path = join(dir, 'taken');
    await writeFileAtomic(join(path, 'inner'), 'x');
    await expect(writeFileAtomic(path, 'y')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['taken']);
  });
});

describe('readTextIfExists', () => {
  it('gives the text, null for a missing file, and throws for a directory', async () => {
    await writeFile(join(dir, 'a.txt'), 'text');
    expect(await readTextIfExists(join(dir, 'a.txt'))).toBe('text');
    expect(await readTextIfExists(join(dir, 'missing'))).toBeNull();
    await expect(readTextIfExists(dir)).rejects.toThrow();
  });
});

describe('keepAside', () => {
  const AT = new Date('2025-01-02T03:04:05.006Z');

  it('moves the file to <file>.corrupt-<timestamp without colons>', async () => {
    const file = join(dir, 's.json');
    await writeFile(file, 'bad');
    const keptAs = await keepAside(file, AT);
    expect(keptAs).toBe(`${file}.corrupt-2025-01-02T03-04-05-006Z`);
    expect(await readFile(keptAs, 'utf8')).toBe('bad');
    expect(await readTextIfExists(file)).toBeNull();
  });

  it('never replaces an earlier kept file of the same name', async () => {
    const file = join(dir, 's.json');
    await writeFile(file, 'first');
    const first = await keepAside(file, AT.getTime());
    await writeFile(file, 'second');
    const second = await keepAside(file, AT.getTime());
    expect(second).toBe(`${first}-1`);
    expect(await readFile(first, 'utf8')).toBe('first');
    expect(await readFile(second, 'utf8')).toBe('second');
  });
});

describe('removeStaleTemporaries', () => {
  it("removes only that file's temporaries", async () => {
    const file = join(dir, 'state.json');
    await writeFileAtomic(file, '{}');
    await writeFile(join(dir, '.state.json.tmp-123-abcd0123'), '{"half');
    await writeFile(join(dir, '.other.json.tmp-123-abcd0123'), '{"half');
    await removeStaleTemporaries(file);
    expect((await readdir(dir)).sort()).toEqual(['.other.json.tmp-123-abcd0123', 'state.json']);
  });
});
