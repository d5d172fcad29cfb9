import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import { createKnownRoots, KnownRootsFileSchema } from './knownRoots.ts';
import { createStatusBook } from './statusBook.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'known-roots-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const knownRoots = (errors: unknown[] = []) => createKnownRoots(jsonStateFile(path.join(dir, 'known-roots.json'), KnownRootsFileSchema), (e) => errors.push(e));

describe('createKnownRoots', () => {
  it('knows no root the first time', async () => {
    expect(await knownRoots().load()).toEqual({ roots: [] });
  });

  it("gives a restarted root the roots its status book knew, pending until they are heard or down", async () => {
    let t = 1_000_000;
    const before = knownRoots();
    const book = createStatusBook({ self: 'root-1', now: () => t, intervalMs: 1_000, onRootsChanged: (roots) => before.keep(roots) });
    book.expect(['root-2']);
    book.heardFrom('root-3');
    await before.settled();

    const { roots } = await knownRoots().load();
    expect(roots).toEqual(['root-2', 'root-3']);
    t += 60_000;
    const restarted = createStatusBook({ self: 'root-1', now: () => t, intervalMs: 1_000, remembered: roots });
    expect(restarted.liveRoots()).toEqual([2, 3]);
    t += 3_001;
    expect(restarted.liveRoots()).toEqual([]);
  });

  it('writes the newest set last, and what comes during a write in one more', async () => {
    const saved: string[][] = [];
    const known = createKnownRoots(
      {
        load: async () => ({ kind: 'missing' }),
        save: async (file) => {
          saved.push(file.roots);
        },
      },
      () => undefined,
    );
    known.keep(['root-2']);
    known.keep(['root-2', 'root-3']);
    known.keep(['root-3']);
    await known.settled();
    expect(saved).toEqual([['root-3']]);
    known.keep(['root-4']);
    await known.settled();
    expect(saved).toEqual([['root-3'], ['root-4']]);
  });

  it('reports a corrupt file, keeps it aside and knows no root', async () => {
    await writeFile(path.join(dir, 'known-roots.json'), '{"version": 1, "roots": ["router"]}');
    const loaded = await knownRoots().load();
    expect(loaded.roots).toEqual([]);
    expect(loaded.problem).toMatch(/known roots file was corrupt \(roots\[0\]: .*\); kept it as .*known-roots\.json\.corrupt-/);
    expect(await readFile(loaded.problem!.split('kept it as ')[1]!, 'utf8')).toContain('router');
  });

  it('passes a failed write to its caller and keeps writing after it', async () => {
    const errors: unknown[] = [];
    const saved: string[][] = [];
    const known = createKnownRoots(
      {
        load: async () => ({ kind: 'missing' }),
        save: async (file) => {
          if (file.roots.length === 0) throw new Error('disk full');
          saved.push(file.roots);
        },
      },
      (e) => errors.push(e),
    );
    known.keep([]);
    await known.settled();
    known.keep(['root-2']);
    await known.settled();
    expect(errors.map(String)).toEqual(['Error: disk full']);
    expect(saved).toEqual([['root-2']]);
  });
});
