import { describe, expect, it } from 'vitest';
import { beat, INTERVAL } from './heartbeats.testkit.ts';
import { createStatusBook } from './statusBook.ts';
import type { StatusBook } from './statusBook.ts';

function setup(self = 'root-1') {
  let t = 1_000_000;
  const book = createStatusBook({ self, now: () => t, intervalMs: INTERVAL });
  return { book, advance: (ms: number) => (t += ms), now: () => t };
}

describe('createStatusBook', () => {
  it('a node heard from is alive until it misses three beats, then down', () => {
    const { book, advance, now } = setup();
    book.expect(['root-1', 'root-2']);
    book.record(beat('root-2', now(), { clientsConnected: 4 }));
    const heardAt = now();
    advance(3 * INTERVAL);
    expect(book.statusOf('root-2')).toEqual({ node: 'root-2', state: 'alive', lastHeartbeat: heardAt, topologyId: 't1', clientsConnected: 4 });
    advance(1);
    expect(book.statusOf('root-2')).toMatchObject({ state: 'down', lastHeartbeat: heardAt });
    book.record(beat('root-2', now()));
    expect(book.statusOf('root-2')?.state).toBe('alive');
  });

  it('uses the interval each node says it beats at', () => {
    const { book, advance, now } = setup();
    book.record(beat('root-2', now(), { intervalMs: 60_000 }));
    advance(150_000);
    expect(book.statusOf('root-2')?.state).toBe('alive');
    advance(30_001);
    expect(book.statusOf('root-2')?.state).toBe('down');
  });

  it('an expected node never heard from is pending, then down after three intervals', () => {
    const { book, advance } = setup();
    book.expect(['root-2', 'leaf-2-1']);
    expect(book.statusOf('leaf-2-1')).toEqual({ node: 'leaf-2-1', state: 'pending', lastHeartbeat: null, topologyId: null });
    advance(3 * INTERVAL + 1);
    expect(book.statusOf('leaf-2-1')?.state).toBe('down');
  });

  it('reports failed with its reason, deploying and pending as the node says', () => {
    const { book, now } = setup();
    book.record(beat('root-2', now(), { state: 'failed', reason: 'swanctl --load-all failed' }));
    book.record(beat('root-3', now(), { state: 'deploying' }));
    expect(book.statusOf('root-2')).toMatchObject({ state: 'failed', reason: 'swanctl --load-all failed' });
    expect(book.statusOf('root-3')).toMatchObject({ state: 'deploying' });
  });

  it('ignores a heartbeat older than the one it has', () => {
    const { book, now } = setup();
    book.record(beat('root-2', now(), { topologyId: 'new' }));
    book.record(beat('root-2', now() - 10, { topologyId: 'old' }));
    expect(book.statusOf('root-2')?.topologyId).toBe('new');
  });

  it("takes a root's summary for its own leaves only, and they go down with their root's silence", () => {
    const { book, advance, now } = setup('root-1');
    book.record(
      beat('root-2', now(), {
        leaves: [
          { node: 'leaf-2-1', state: 'alive', lastHeartbeat: now() - 1000, topologyId: 't1', clientsConnected: 7 },
          { node: 'leaf-2-2', state: 'down', lastHeartbeat: now() - 60_000, topologyId: 't1' },
          { node: 'leaf-3-1', state: 'alive', lastHeartbeat: now(), topologyId: 't1' },
        ],
      }),
    );
    expect(book.statusOf('leaf-2-1')).toMatchObject({ state: 'alive', clientsConnected: 7, lastHeartbeat: now() - 1000 });
    expect(book.statusOf('leaf-2-2')?.state).toBe('down');
    expect(book.statusOf('leaf-3-1')).toBeUndefined();
    advance(3 * INTERVAL + 1);
    expect(book.statusOf('leaf-2-1')?.state).toBe('down');
  });

  it('a root summarises its own leaves, with the ones gone silent as down', () => {
    const { book, advance, now } = setup('root-1');
    book.expect(['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1']);
    book.record(beat('leaf-1-1', now(), { clientsConnected: 3 }));
    advance(3 * INTERVAL + 1);
    book.record(beat('leaf-1-2', now()));
    expect(book.leafSummaries()).toEqual([
      { node: 'leaf-1-1', state: 'down', lastHeartbeat: now() - 3 * INTERVAL - 1, topologyId: 't1', clientsConnected: 3 },
      { node: 'leaf-1-2', state: 'alive', lastHeartbeat: now(), topologyId: 't1' },
    ]);
  });

  it("says when a beat changed what a root tells of one of its own leaves: its state or its topology", () => {
    const { book, advance, now } = setup('root-1');
    expect(book.record(beat('leaf-1-1', now()))).toBe(true);
    advance(INTERVAL);
    expect(book.record(beat('leaf-1-1', now()))).toBe(false);
    expect(book.record(beat('leaf-1-1', now() + 1, { topologyId: 't2' }))).toBe(true);
    advance(3 * INTERVAL + 2);
    // Down by silence, then heard again.
    expect(book.record(beat('leaf-1-1', now(), { topologyId: 't2' }))).toBe(true);
    expect(book.record(beat('leaf-2-1', now()))).toBe(false);
    expect(book.record(beat('root-2', now()))).toBe(false);
    expect(setup('leaf-1-1').book.record(beat('leaf-1-2', now()))).toBe(false);
  });

  it('lists every node in the snapshot, roots then their leaves, itself always current', () => {
    const { book, advance, now } = setup('root-2');
    book.expect(['leaf-2-1', 'root-10', 'root-1', 'leaf-1-2', 'leaf-1-1']);
    book.recordOwn({ state: 'alive', topologyId: 't1', tunnels: [{ peer: 1, state: 'up' }] });
    advance(60_000);
    const snapshot = book.snapshot();
    expect(snapshot.node).toBe('root-2');
    expect(snapshot.generatedAt).toBe(now());
    expect(snapshot.nodes.map((n) => n.node)).toEqual(['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'root-10']);
    expect(snapshot.nodes.find((n) => n.node === 'root-2')).toMatchObject({ state: 'alive', tunnels: [{ peer: 1, state: 'up' }] });
  });

  it('forgets nodes no longer in the overlay once they are down, and counts live roots', () => {
    const { book, advance, now } = setup('root-1');
    book.expect(['root-1', 'root-2', 'root-3', 'root-4', 'root-5']);
    book.recordOwn({ state: 'alive', topologyId: null });
    advance(3 * INTERVAL);
    book.record(beat('root-2', now()));
    book.record(beat('root-4', now()));
    advance(1);
    expect(book.liveRoots()).toEqual([1, 2, 4]);
    book.expect(['root-1', 'root-2']);
    expect(book.statusOf('root-3')).toBeUndefined();
    expect(book.statusOf('root-5')).toBeUndefined();
    // Still heard from: it counts until it is down, whatever the overlay says.
    expect(book.liveRoots()).toEqual([1, 2, 4]);
    advance(3 * INTERVAL);
    expect(book.liveRoots()).toEqual([1]);
    expect(book.statusOf('root-4')).toBeUndefined();
    expect(book.snapshot().nodes.map((n) => [n.node, n.state])).toEqual([
      ['root-1', 'alive'],
      ['root-2', 'down'],
    ]);
  });

  it.each<[string, (book: StatusBook) => unknown]>([
    ['its snapshot', (book) => book.snapshot()],
    ['its live roots', (book) => book.liveRoots()],
    ['its status', (book) => book.statusOf('root-1')],
    ['its own beat', (book) => book.recordOwn({ state: 'alive', topologyId: 't2' })],
    ['a heartbeat', (book) => book.record(beat('root-2', 1_000_000 + 3 * INTERVAL + 1))],
  ])('forgets a root removed while alive as soon as it is down, on %s, and says so for the next start', (_on, look) => {
    const told: string[][] = [];
    let t = 1_000_000;
    const book = createStatusBook({ self: 'root-1', now: () => t, intervalMs: INTERVAL, onRootsChanged: (roots) => told.push(roots) });
    book.expect(['root-2', 'root-3', 'leaf-3-1']);
    book.record(beat('root-3', t, { leaves: [{ node: 'leaf-3-1', state: 'alive', lastHeartbeat: t, topologyId: 't1' }] }));
    // Topology t2 no longer has root-3: it stays while it is heard from.
    book.expect(['root-2']);
    expect(book.statusOf('root-3')?.state).toBe('alive');
    t += 3 * INTERVAL + 1;
    look(book);
    expect(told).toEqual([['root-2', 'root-3'], ['root-2']]);
    expect(book.snapshot().nodes.map((n) => n.node)).toEqual(['root-1', 'root-2']);
  });

  it('forgets a node outside the overlay heard from after the book had none, once it is down', () => {
    const { book, advance, now } = setup('root-1');
    book.expect(['root-1', 'root-2']);
    book.record(beat('root-2', now()));
    expect(book.snapshot().nodes.map((n) => n.node)).toEqual(['root-1', 'root-2']);
    book.record(beat('root-9', now()));
    expect(book.statusOf('root-9')?.state).toBe('alive');
    advance(3 * INTERVAL + 1);
    book.record(beat('root-2', now()));
    expect(book.snapshot().nodes.map((n) => [n.node, n.state])).toEqual([['root-1', 'pending'], ['root-2', 'alive']]);
  });

  it('lists the roots expected but not heard from yet, until heard from or down', () => {
    const { book, advance, now } = setup();
    book.expect(['root-2', 'root-3', 'leaf-2-1']);
    book.heardFrom('root-4');
    expect(book.unheardRoots()).toEqual([2, 3, 4]);
    // A root that is idle says 'pending' itself: it was heard from all the same.
    book.record(beat('root-2', now(), { state: 'pending', topologyId: null }));
    expect(book.unheardRoots()).toEqual([3, 4]);
    advance(3 * INTERVAL + 1);
    expect(book.unheardRoots()).toEqual([]);
  });

  it('forgets nothing before it knows its overlay', () => {
    const { book, advance, now } = setup('root-1');
    book.record(beat('root-2', now()));
    advance(3 * INTERVAL + 1);
    expect(book.snapshot().nodes.map((n) => [n.node, n.state])).toEqual([['root-2', 'down']]);
  });

  it('a root forgotten once down and heard of again is pending again', () => {
    const { book, advance, now } = setup('root-1');
    book.expect(['root-1']);
    book.record(beat('root-2', now()));
    advance(3 * INTERVAL + 1);
    expect(book.statusOf('root-2')).toBeUndefined();
    book.heardFrom('root-2');
    expect(book.liveRoots()).toEqual([1, 2]);
  });

  describe('right after this root starts', () => {
    it.each<[string, string[], (book: StatusBook) => void]>([
      ['expected from its overlay (topology, neighbours)', [], (book) => book.expect(['root-2', 'root-3'])],
      ['remembered from before the start', ['root-2', 'root-3'], () => undefined],
      ['known from a lock message', [], (book) => ['root-2', 'root-3'].forEach((node) => book.heardFrom(node))],
    ])('counts roots %s as live, pending, until three intervals pass without a heartbeat', (_how, remembered, know) => {
      let t = 1_000_000;
      const book = createStatusBook({ self: 'root-1', now: () => t, intervalMs: INTERVAL, remembered });
      know(book);
      book.recordOwn({ state: 'alive', topologyId: null });
      expect(book.liveRoots()).toEqual([1, 2, 3]);
      expect(book.statusOf('root-3')).toEqual({ node: 'root-3', state: 'pending', lastHeartbeat: null, topologyId: null });
      t += 3 * INTERVAL - 1;
      book.record(beat('root-2', t));
      t += 2;
      expect(book.liveRoots()).toEqual([1, 2]);
      expect(book.statusOf('root-3')?.state).toBe('down');
    });

    it('a root heard of before does not become pending again, and leaves and itself are never remembered', () => {
      const { book, advance, now } = setup('root-1');
      book.record(beat('root-2', now()));
      advance(3 * INTERVAL + 1);
      book.heardFrom('root-2');
      book.heardFrom('leaf-1-1');
      book.heardFrom('root-1');
      expect(book.snapshot().nodes.map((n) => [n.node, n.state])).toEqual([['root-2', 'down']]);
    });
  });

  it('tells which roots it knows whenever that set changes, for the next start', () => {
    const told: string[][] = [];
    let t = 1_000_000;
    const book = createStatusBook({ self: 'root-1', now: () => t, intervalMs: INTERVAL, remembered: ['root-3'], onRootsChanged: (roots) => told.push(roots) });
    book.record(beat('root-3', t));
    book.expect(['root-1', 'root-2', 'leaf-1-1']);
    book.record(beat('root-10', t, { leaves: [{ node: 'leaf-10-1', state: 'alive', lastHeartbeat: t, topologyId: 't1' }] }));
    book.record(beat('root-10', t + 1));
    book.heardFrom('root-4');
    t += 3 * INTERVAL + 1;
    book.expect(['root-1', 'root-2']);
    expect(told).toEqual([
      ['root-2', 'root-3'],
      ['root-2', 'root-3', 'root-10'],
      ['root-2', 'root-3', 'root-4', 'root-10'],
      ['root-2'],
    ]);
  });

  it('on a leaf, remembers and hears of no root', () => {
    const book = createStatusBook({ self: 'leaf-1-1', now: () => 0, remembered: ['root-1', 'root-2'] });
    book.heardFrom('root-3');
    expect(book.snapshot().nodes).toEqual([]);
    expect(book.liveRoots()).toEqual([]);
  });

  it('on a leaf, which hears no heartbeats, expects only itself', () => {
    const { book, advance } = setup('leaf-1-1');
    book.expect(['root-1', 'leaf-1-1', 'leaf-1-2']);
    book.recordOwn({ state: 'alive', topologyId: 't1' });
    advance(60_000);
    expect(book.snapshot().nodes).toEqual([{ node: 'leaf-1-1', state: 'alive', lastHeartbeat: 1_000_000, topologyId: 't1' }]);
  });

  it('refuses a self that is no node name', () => {
    expect(() => createStatusBook({ self: 'router', now: () => 0 })).toThrow(/node name/);
  });
});
