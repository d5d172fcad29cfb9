import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonStateFile, readJsonFile } from './jsonStateFile.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-json-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const Schema = z.strictObject({ n: z.number() });
const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

describe('readJsonFile', () => {
  it('reports a missing file', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), Schema)).toEqual({ kind: 'missing' });
  });

  it('reads what a state file saved', async () => {
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
});
