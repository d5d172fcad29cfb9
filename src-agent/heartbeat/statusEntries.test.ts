import { describe, expect, it } from 'vitest';
import type { FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import { beat, INTERVAL } from './heartbeats.testkit.ts';
import { beatEntries, isOtherRoot, leafSummaries, otherRoots, pendingEntry, reportEntry, rootIds, snapshotAt, stateAt, statusAt, unwantedDown, wantedNodes } from './statusEntries.ts';
import type { Entry } from './statusEntries.ts';

const T = 1_000_000;

const heard = (at: number, overrides: Partial<Entry> = {}): Entry => ({ ...reportEntry({ state: 'alive', topologyId: 't1' }, at, at, at + 3 * INTERVAL), ...overrides });

describe('stateAt', () => {
  it.each<[string, string, Entry, number, string]>([
    ['pending until three intervals pass', 'root-2', pendingEntry(T, INTERVAL), T + 3 * INTERVAL, 'pending'],
    ['then down', 'root-2', pendingEntry(T, INTERVAL), T + 3 * INTERVAL + 1, 'down'],
    ['as reported while fresh', 'root-2', heard(T, { state: 'failed' }), T + 3 * INTERVAL, 'failed'],
    ['down once no longer fresh', 'root-2', heard(T, { state: 'failed' }), T + 3 * INTERVAL + 1, 'down'],
    ['never down to itself', 'root-1', heard(T), T + 60 * INTERVAL, 'alive'],
  ])('%s', (_case, node, entry, t, state) => {
    expect(stateAt(node, entry, t, 'root-1')).toBe(state);
  });
});

describe('statusAt', () => {
  it.each<[string, Entry, object]>([
    ['a pending node', pendingEntry(T, INTERVAL), { node: 'root-2', state: 'pending', lastHeartbeat: null, topologyId: null }],
    ['a failed node, with its reason', heard(T, { state: 'failed', reason: 'apply failed' }), { node: 'root-2', state: 'failed', reason: 'apply failed', lastHeartbeat: T, topologyId: 't1' }],
    ['a failed node that gave no reason', heard(T, { state: 'failed' }), { node: 'root-2', state: 'failed', reason: 'failed', lastHeartbeat: T, topologyId: 't1' }],
    ['a reason only while failed', heard(T, { reason: 'stale' }), { node: 'root-2', state: 'alive', lastHeartbeat: T, topologyId: 't1' }],
    ['clients and tunnels when known', heard(T, { clientsConnected: 2, tunnels: [{ peer: 3, state: 'up' }] }), { node: 'root-2', state: 'alive', lastHeartbeat: T, topologyId: 't1', clientsConnected: 2, tunnels: [{ peer: 3, state: 'up' }] }],
  ])('%s', (_case, entry, status) => {
    expect(statusAt('root-2', entry, T, 'root-1')).toEqual(status);
  });
});

describe('beatEntries', () => {
  const summary = [
    { node: 'leaf-2-1', state: 'alive', lastHeartbeat: T - 1_000, topologyId: 't1', clientsConnected: 7 },
    { node: 'leaf-2-2', state: 'down', lastHeartbeat: T - 60_000, topologyId: 't1' },
    { node: 'leaf-3-1', state: 'alive', lastHeartbeat: T, topologyId: 't1' },
  ] as const;

  it.each<[string, FloodMessageOf<'heartbeat'>, Entry | undefined, Array<[string, Partial<Entry>]>]>([
    ["a leaf's beat: its own entry, fresh for three of its intervals", beat('leaf-1-1', T - 10, { intervalMs: 60_000 }), undefined, [['leaf-1-1', { state: 'alive', lastHeartbeat: T, sentAt: T - 10, freshUntil: T + 180_000 }]]],
    ['a newer beat than the one recorded', beat('root-2', T), heard(T - 1), [['root-2', { sentAt: T }]]],
    ['an older beat than the one recorded: nothing', beat('root-2', T - 1), heard(T), []],
    ['the same beat again: nothing', beat('root-2', T), heard(T), []],
    ["this node's own beat: nothing", beat('root-1', T), undefined, []],
    ['a beat from no node: nothing', beat('router', T), undefined, []],
    [
      "a root's beat with its own leaves only, one it calls down down at once",
      beat('root-2', T, { leaves: [...summary] }),
      undefined,
      [
        ['root-2', { state: 'alive', freshUntil: T + 3 * INTERVAL }],
        ['leaf-2-1', { state: 'alive', lastHeartbeat: T - 1_000, sentAt: T, freshUntil: T + 3 * INTERVAL, clientsConnected: 7, tunnels: undefined }],
        ['leaf-2-2', { state: 'down', lastHeartbeat: T - 60_000, freshUntil: -Infinity }],
      ],
    ],
  ])('%s', (_case, message, previous, written) => {
    const entries = beatEntries(message, previous, T, 'root-1');
    expect(entries.map(([node]) => node)).toEqual(written.map(([node]) => node));
    entries.forEach(([, entry], i) => expect(entry).toMatchObject(written[i]![1]));
  });
});

describe('the nodes a book keeps', () => {
  it.each<[string, string[], string, string[]]>([
    ['a root keeps its overlay and itself', ['root-2', 'leaf-1-1'], 'root-1', ['root-2', 'leaf-1-1', 'root-1']],
    ['a leaf keeps only itself', ['root-1', 'leaf-1-2'], 'leaf-1-1', ['leaf-1-1']],
  ])('%s', (_case, overlay, self, wanted) => {
    expect([...wantedNodes(overlay, self)]).toEqual(wanted);
  });

  it('forgets the nodes down and not wanted, and none before it knows its overlay', () => {
    const entries = new Map<string, Entry>([
      ['root-2', heard(T - 4 * INTERVAL)],
      ['root-3', heard(T - 4 * INTERVAL)],
      ['root-4', heard(T)],
      ['root-5', pendingEntry(T - 4 * INTERVAL, INTERVAL)],
    ]);
    expect(unwantedDown(entries, new Set(['root-2']), T, 'root-1')).toEqual(['root-3', 'root-5']);
    expect(unwantedDown(entries, undefined, T, 'root-1')).toEqual([]);
  });
});

describe('rootIds', () => {
  const entries = new Map<string, Entry>([
    ['root-10', pendingEntry(T, INTERVAL)],
    ['root-1', pendingEntry(T, INTERVAL)],
    ['leaf-2-1', pendingEntry(T, INTERVAL)],
    ['root-2', heard(T)],
    ['root-3', pendingEntry(T - 4 * INTERVAL, INTERVAL)],
    ['root-4', heard(T - 4 * INTERVAL)],
  ]);

  it.each<['live' | 'unheard', number[]]>([
    // This root, heard from or pending, not down: in order of id.
    ['live', [1, 2, 10]],
    // The others never heard from and not down: not itself even while its own entry is pending.
    ['unheard', [10]],
  ])('%s', (which, ids) => {
    expect(rootIds(entries, T, 'root-1', which)).toEqual(ids);
  });
});

describe('roots, leaves and order', () => {
  const entries = new Map<string, Entry>([
    ['leaf-1-2', heard(T - 4 * INTERVAL, { clientsConnected: 3, tunnels: [] })],
    ['root-10', heard(T)],
    ['leaf-1-1', heard(T)],
    ['root-1', heard(T)],
    ['leaf-2-1', heard(T)],
    ['root-2', heard(T)],
  ]);

  it('lists the other roots by id', () => {
    expect(otherRoots(entries, 'root-1')).toEqual(['root-2', 'root-10']);
    expect(isOtherRoot('root-1', 'root-1')).toBe(false);
    expect(isOtherRoot('leaf-2-1', 'root-1')).toBe(false);
  });

  it("summarises a root's own leaves, the silent ones down, without tunnels", () => {
    expect(leafSummaries(entries, T, 'root-1', 1)).toEqual([
      { node: 'leaf-1-1', state: 'alive', lastHeartbeat: T, topologyId: 't1' },
      { node: 'leaf-1-2', state: 'down', lastHeartbeat: T - 4 * INTERVAL, topologyId: 't1', clientsConnected: 3 },
    ]);
  });

  it('snapshots every node, roots then their leaves', () => {
    const snapshot = snapshotAt(entries, T, 'root-1');
    expect(snapshot).toMatchObject({ node: 'root-1', generatedAt: T });
    expect(snapshot.nodes.map((n) => n.node)).toEqual(['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'root-10']);
  });
});
