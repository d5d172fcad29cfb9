import fc from 'fast-check';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TopologyCommand } from '../../../src-shared/contract/contract.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import { parseState, serializeState } from './storedState.ts';
import type { TopologyStore } from './topologyStore.ts';
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
      reason: 'not saved: 1 problem; the pending topology is unchanged',
      problems: [{ path: 'roots[1].overlay', message: '10.1.0.0/16 overlaps the overlay of root 1 (cloud-1)' }],
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
        { path: 'pending.roots[1].overlay', message: '10.1.0.0/16 overlaps the overlay of root 1 (cloud-1)' },
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

/** Everything a refused change must leave as it was. */
async function snapshot(store: TopologyStore) {
  return { text: await readFile(store.file, 'utf8'), revision: store.revision(), canUndo: store.canUndo(), canRedo: store.canRedo(), pending: store.pending() };
}

describe('the store by command', () => {
  const three: Topology = { roots: [root(1), root(2), root(3)], tunnels: [{ a: 1, b: 2 }] };

  it('applies a command, on disk too, undoably, and tells listeners', async () => {
    const store = await openTopologyStore({ file });
    await store.save(three);
    let events = 0;
    store.onDidChange(() => events++);
    expect(await store.apply({ kind: 'addTunnel', a: 3, b: 2 })).toEqual({ ok: true, changed: true });
    const want = { ...three, tunnels: [{ a: 1, b: 2 }, { a: 3, b: 2 }] };
    expect(store.pending()).toEqual(want);
    expect(JSON.parse(await readFile(file, 'utf8')).pending).toEqual(want);
    expect([store.revision(), events]).toEqual([2, 1]);
    expect(await store.apply({ kind: 'moveRoot', id: 1, position: { x: 0.2, y: 0 } })).toEqual({ ok: true, changed: true });
    expect(await store.apply({ kind: 'moveRoot', id: 1, position: { x: -0.2, y: 0 } })).toEqual({ ok: true, changed: false });
    await store.undo();
    await store.undo();
    expect(store.pending()).toEqual(three);
  });

  it.each<{ command: TopologyCommand; reason: string }>([
    { command: { kind: 'addTunnel', a: 1, b: 1 }, reason: 'root 1 (cloud-1) cannot have a tunnel to itself: a tunnel joins two different roots' },
    { command: { kind: 'addTunnel', a: 2, b: 1 }, reason: 'there is already a tunnel between root 2 (cloud-2) and root 1 (cloud-1)' },
    { command: { kind: 'deleteRoot', id: 9 }, reason: 'root 9 does not exist' },
    { command: { kind: 'editRoot', id: 3, changes: { overlay: '10.1.0.0/16' } }, reason: 'root 3 (cloud-3) not saved: 1 problem; the pending topology is unchanged' },
  ])('refuses $command.kind and leaves the store untouched: file, revision, history ($reason)', async ({ command, reason }) => {
    const store = await openTopologyStore({ file });
    await store.save(three);
    await store.apply({ kind: 'deleteTunnel', a: 1, b: 2 });
    await store.undo();
    const before = await snapshot(store);
    let events = 0;
    store.onDidChange(() => events++);
    const outcome = await store.apply(command);
    expect(outcome).toMatchObject({ ok: false, reason });
    expect(await snapshot(store)).toEqual(before);
    expect(before).toMatchObject({ revision: 3, canUndo: true, canRedo: true });
    expect(events).toBe(0);
  });

  it('redoes what undo took back, until a new change clears it', async () => {
    const store = await openTopologyStore({ file });
    expect(await store.redo()).toBe(false);
    await store.save(one);
    await store.save(two);
    await store.undo();
    await store.undo();
    expect(store.canRedo()).toBe(true);
    expect(await store.redo()).toBe(true);
    expect(store.pending()).toEqual(one);
    expect(JSON.parse(await readFile(file, 'utf8')).pending).toEqual(one);
    expect(await store.redo()).toBe(true);
    expect(store.pending()).toEqual(two);
    expect([store.canRedo(), await store.redo()]).toEqual([false, false]);
    await store.undo();
    await store.apply({ kind: 'deleteRoot', id: 1 });
    expect(store.canRedo()).toBe(false);
    expect(await store.redo()).toBe(false);
    expect(store.pending()).toEqual({ roots: [], tunnels: [] });
  });

  it('keeps undo and redo together within undoLimit', async () => {
    const store = await openTopologyStore({ file, undoLimit: 2 });
    for (const n of [1, 2, 3]) await store.save({ roots: [root(n)], tunnels: [] });
    expect([await store.undo(), await store.undo(), await store.undo()]).toEqual([true, true, false]);
    expect([await store.redo(), await store.redo(), await store.redo()]).toEqual([true, true, false]);
    expect(store.pending()).toEqual({ roots: [root(3)], tunnels: [] });
  });

  it('lets listeners read the state after the change, undo and redo included', async () => {
    const store = await openTopologyStore({ file });
    const seen: string[] = [];
    store.onDidChange(() => seen.push(`${store.revision()} undo:${store.canUndo()} redo:${store.canRedo()}`));
    await store.save(one);
    await store.undo();
    await store.redo();
    expect(seen).toEqual(['1 undo:true redo:false', '2 undo:false redo:true', '3 undo:true redo:false']);
  });

  it('cancels every pending change back to the deployed topology in one change that undo takes back', async () => {
    const store = await openTopologyStore({ file });
    await store.save(three);
    await store.markDeployed(three);
    await store.apply({ kind: 'deleteRoot', id: 2 });
    await store.apply({ kind: 'addRoot', root: root(4) });
    const changed = store.pending();
    expect(await store.cancelChanges()).toEqual({ ok: true, changed: true });
    expect(store.pending()).toEqual(three);
    expect(parseState(await readFile(file, 'utf8'))).toEqual({ ok: true, state: { pending: three, deployed: three } });
    expect(store.canRedo()).toBe(false);
    expect(await store.undo()).toBe(true);
    expect(store.pending()).toEqual(changed);
  });

  it.each([
    { what: 'nothing is deployed', deploy: false, reason: 'nothing is deployed yet, so there is no deployed topology to go back to' },
    { what: 'nothing is pending', deploy: true, reason: 'no pending changes: the pending topology is the deployed one' },
  ])('refuses to cancel when $what, and touches nothing', async ({ deploy, reason }) => {
    const store = await openTopologyStore({ file });
    await store.save(three);
    if (deploy) await store.markDeployed(three);
    const before = await snapshot(store);
    expect(await store.cancelChanges()).toEqual({ ok: false, reason, problems: [] });
    expect(await snapshot(store)).toEqual(before);
  });

  it('leaves history as it was when the write of an undo fails', async () => {
    let fail = false;
    const store = await openTopologyStore({
      file,
      write: async (path, text) => {
        if (fail) throw new Error('disk full');
        await writeFile(path, text);
      },
    });
    await store.save(one);
    fail = true;
    await expect(store.undo()).rejects.toThrow('disk full');
    expect([store.pending(), store.canUndo(), store.canRedo(), store.revision()]).toEqual([one, true, false, 1]);
    fail = false;
    expect(await store.undo()).toBe(true);
  });
});

/** Commands on ids 1..6, of which the start has 1..4: many are refused, the rest add, edit, move and delete. */
const command: fc.Arbitrary<TopologyCommand> = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((id): TopologyCommand => ({ kind: 'addRoot', root: root(id) })),
  fc.record({ id: fc.integer({ min: 1, max: 6 }), x: fc.integer({ min: -500, max: 500 }) }).map(({ id, x }): TopologyCommand => ({ kind: 'moveRoot', id, position: { x, y: 0 } })),
  fc
    .record({ id: fc.integer({ min: 1, max: 6 }), changes: fc.oneof(fc.record({ maxClients: fc.integer({ min: 0, max: 300 }) }), fc.record({ name: fc.constantFrom('cloud-1', 'x', '') })) })
    .map(({ id, changes }): TopologyCommand => ({ kind: 'editRoot', id, changes })),
  fc.integer({ min: 1, max: 6 }).map((id): TopologyCommand => ({ kind: 'deleteRoot', id })),
  fc.record({ a: fc.integer({ min: 1, max: 6 }), b: fc.integer({ min: 1, max: 6 }) }).map(({ a, b }): TopologyCommand => ({ kind: 'addTunnel', a, b })),
  fc.record({ a: fc.integer({ min: 1, max: 6 }), b: fc.integer({ min: 1, max: 6 }) }).map(({ a, b }): TopologyCommand => ({ kind: 'deleteTunnel', a, b })),
);

describe('the store under any sequence of commands', () => {
  const start: Topology = { roots: [root(1), root(2), root(3), root(4)], tunnels: [{ a: 1, b: 2 }, { a: 3, b: 4 }] };

  it('stores only valid topologies, changes nothing on a refusal, and undo and redo walk back and forth through every change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (commands) => {
        let written = '';
        const store = await openTopologyStore({ file, write: async (_path, text) => void (written = text) });
        await store.save(start);
        const seen = [store.pending()];
        for (const next of commands) {
          const before = { pending: store.pending(), revision: store.revision(), written };
          const outcome = await store.apply(next);
          if (!outcome.ok) expect({ pending: store.pending(), revision: store.revision(), written }).toEqual(before);
          else if (outcome.changed) seen.push(store.pending());
          expect(validateTopology(store.pending())).toEqual({ ok: true, topology: store.pending() });
          expect(parseState(written)).toEqual({ ok: true, state: { pending: store.pending(), deployed: null } });
        }
        for (const earlier of seen.slice(0, -1).reverse()) {
          expect(await store.undo()).toBe(true);
          expect(store.pending()).toEqual(earlier);
        }
        expect(await store.undo()).toBe(true);
        expect(store.canUndo()).toBe(false);
        expect(await store.redo()).toBe(true);
        for (const later of seen.slice(1)) {
          expect(await store.redo()).toBe(true);
          expect(store.pending()).toEqual(later);
        }
        expect(store.canRedo()).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
