import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { serializeState } from './storedState.ts';
import { openTopologyStore, StoreError } from './topologyStore.ts';

const root = (id: number, overlaySecond = id) => ({
  id,
  name: `cloud-${id}`,
  internetAddress: `203.0.113.${id}`,
  overlay: `10.${overlaySecond}.0.0/16`,
  maxClients: 100,
});
const one: Topology = { roots: [root(1)], tunnels: [] };
const two: Topology = { roots: [root(1), root(2)], tunnels: [{ a: 1, b: 2 }] };
const fixedNow = () => new Date('2025-11-25T04:05:06.789Z');

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-store-'));
  file = join(dir, 'state', 'pending.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openTopologyStore', () => {
  it('starts empty without writing when there is no file', async () => {
    const store = await openTopologyStore({ file });
    expect(store.pending()).toEqual({ roots: [], tunnels: [] });
    expect(store.deployed()).toBeNull();
    expect(store.recovery).toBeNull();
    expect(store.canUndo()).toBe(false);
    expect(await readdir(join(dir, 'state'))).toEqual([]);
  });

  it('saves a valid topology to the file, mode 0600, and reopens it', async () => {
    const store = await openTopologyStore({ file });
    expect(await store.save(two)).toEqual({ ok: true, changed: true });
    expect(store.pending()).toEqual(two);
    expect(store.revision()).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(serializeState({ pending: two, deployed: null }));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const reopened = await openTopologyStore({ file });
    expect(reopened.pending()).toEqual(two);
  });

  it('refuses an invalid topology with its problems and changes nothing, in memory or on disk', async () => {
    const store = await openTopologyStore({ file });
    await store.save(one);
    const before = await readFile(file, 'utf8');
    let events = 0;
    store.onDidChange(() => events++);
    const clash = { roots: [root(1), root(2, 1)], tunnels: [] };
    const outcome = await store.save(clash);
    expect(outcome).toEqual({
      ok: false,
      problems: [{ path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps roots[0] "cloud-1" (10.1.0.0/16)' }],
    });
    expect(store.pending()).toEqual(one);
    expect(store.revision()).toBe(1);
    expect(events).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('treats saving an equal topology as no change', async () => {
    const store = await openTopologyStore({ file });
    await store.save(one);
    expect(await store.save(structuredClone(one))).toEqual({ ok: true, changed: false });
    expect(store.revision()).toBe(1);
    expect(store.canUndo()).toBe(true);
    await store.undo();
    expect(store.canUndo()).toBe(false);
  });

  it('undoes changes one by one, on disk too, and says when there is nothing left', async () => {
    const store = await openTopologyStore({ file });
    await store.save(one);
    await store.save(two);
    expect(await store.undo()).toBe(true);
    expect(store.pending()).toEqual(one);
    expect(JSON.parse(await readFile(file, 'utf8')).pending).toEqual(one);
    expect(await store.undo()).toBe(true);
    expect(store.pending()).toEqual({ roots: [], tunnels: [] });
    expect(await store.undo()).toBe(false);
    expect(store.revision()).toBe(4);
  });

  it('keeps at most undoLimit earlier versions', async () => {
    const store = await openTopologyStore({ file, undoLimit: 2 });
    for (const n of [1, 2, 3]) await store.save({ roots: [root(n)], tunnels: [] });
    expect(await store.undo()).toBe(true);
    expect(await store.undo()).toBe(true);
    expect(store.pending()).toEqual({ roots: [root(1)], tunnels: [] });
    expect(await store.undo()).toBe(false);
  });

  it('keeps the deployed copy apart from undo and across reopening', async () => {
    const store = await openTopologyStore({ file });
    await store.save(two);
    await store.markDeployed(one);
    expect(store.deployed()).toEqual(one);
    await store.undo();
    expect(store.deployed()).toEqual(one);
    const reopened = await openTopologyStore({ file });
    expect(reopened.deployed()).toEqual(one);
    expect(reopened.pending()).toEqual({ roots: [], tunnels: [] });
  });

  it('tells listeners about every stored change and stops when asked', async () => {
    const store = await openTopologyStore({ file });
    const seen: number[] = [];
    const stop = store.onDidChange(() => seen.push(store.revision()));
    await store.save(one);
    await store.undo();
    stop();
    await store.save(two);
    expect(seen).toEqual([1, 2]);
  });

  it('runs concurrent saves in order, so the file holds the last one', async () => {
    const store = await openTopologyStore({ file });
    const results = await Promise.all([store.save(one), store.save(two), store.save(one)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(store.pending()).toEqual(one);
    expect(JSON.parse(await readFile(file, 'utf8')).pending).toEqual(one);
  });

  it('leaves memory unchanged when the write fails, and keeps working after', async () => {
    let failNext = true;
    const store = await openTopologyStore({
      file,
      write: async (path, text) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        await writeFile(path, text);
      },
    });
    await expect(store.save(one)).rejects.toThrow('disk full');
    expect(store.pending()).toEqual({ roots: [], tunnels: [] });
    expect(store.canUndo()).toBe(false);
    expect(store.revision()).toBe(0);
    expect(await store.save(two)).toEqual({ ok: true, changed: true });
    expect(store.pending()).toEqual(two);
  });

  it('removes temporary files a crashed write left behind', async () => {
    await openTopologyStore({ file });
    await writeFile(join(dir, 'state', `.${basename(file)}.tmp-123-abcd0123`), '{"half');
    await writeFile(join(dir, 'state', 'other.json'), '{}');
    await openTopologyStore({ file });
    expect(await readdir(join(dir, 'state'))).toEqual(['other.json']);
  });

  it('refuses a file from a newer Raincoat without touching it', async () => {
    await openTopologyStore({ file });
    const text = JSON.stringify({ format: 2, pending: {} });
    await writeFile(file, text);
    await expect(openTopologyStore({ file })).rejects.toThrow(StoreError);
    await expect(openTopologyStore({ file })).rejects.toThrow('format 2');
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it.each([
    { what: 'not JSON', text: '{"format": 1,\n  "pending": ', reason: 'not JSON (line 2, column 14', problems: [] },
    { what: 'an array', text: '[]', reason: 'not a Raincoat state file (expected an object)', problems: [] },
    { what: 'no format', text: '{"pending": {"roots": []}}', reason: 'not a Raincoat state file (expected "format": 1)', problems: [] },
    {
      what: 'an invalid pending topology',
      text: JSON.stringify({ format: 1, pending: { roots: [root(1), root(2, 1)] }, deployed: { roots: 3 } }),
      reason: 'holds an invalid topology (2 problems)',
      problems: [
        { path: 'pending.roots[1].overlay', message: '10.1.0.0/16 overlaps roots[0] "cloud-1" (10.1.0.0/16)' },
        { path: 'deployed.roots', message: 'expected an array of roots, found 3' },
      ],
    },
  ])('keeps a corrupt file ($what) aside, reports it and starts empty', async ({ text, reason, problems }) => {
    await openTopologyStore({ file });
    await writeFile(file, text);
    const store = await openTopologyStore({ file, now: fixedNow });
    const keptAs = `${file}.corrupt-2025-11-25T04-05-06-789Z`;
    expect(store.recovery).toEqual({ keptAs, reason: expect.stringContaining(reason), problems });
    expect(store.recovery?.reason.startsWith(file)).toBe(true);
    expect(await readFile(keptAs, 'utf8')).toBe(text);
    expect(store.pending()).toEqual({ roots: [], tunnels: [] });
    await expect(stat(file)).rejects.toThrow();
  });
});
