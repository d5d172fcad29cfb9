import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepAside, readTextIfExists, writeFileAtomic } from './atomicFile.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the content and leaves only the target behind', async () => {
    const file = join(dir, 'a.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('removes its temporary file when the rename fails', async () => {
    const target = join(dir, 'taken');
    await mkdir(join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });
});

describe('readTextIfExists', () => {
  it('gives null for a missing file and throws for a directory', async () => {
    expect(await readTextIfExists(join(dir, 'missing'))).toBeNull();
    await expect(readTextIfExists(dir)).rejects.toThrow();
  });
});

describe('keepAside', () => {
  it('renames to <file>.corrupt-<timestamp without colons>', async () => {
    const file = join(dir, 's.json');
    await writeFileAtomic(file, 'bad');
    const keptAs = await keepAside(file, new Date('2025-01-02T03:04:05.006Z'));
    expect(keptAs).toBe(`${file}.corrupt-2025-01-02T03-04-05-006Z`);
    expect(await readFile(keptAs, 'utf8')).toBe('bad');
    expect(await readTextIfExists(file)).toBeNull();
  });
});
