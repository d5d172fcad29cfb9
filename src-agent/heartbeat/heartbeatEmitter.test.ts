import { describe, expect, it } from 'vitest';
import type { HeartbeatBody, LeafSummary, NodeState } from '../../src-shared/protocol/messages.ts';
import { createManualClock } from '../clock.ts';
import { overlayShouldSend } from '../flood/forwardPolicy.ts';
import { createMemoryNetwork } from '../flood/memoryNetwork.ts';
import { randomOverlay, seededRandom } from '../flood/overlayGraph.ts';
import { createHeartbeatEmitter, deployUnderWay } from './heartbeatEmitter.ts';
import type { HeartbeatEmitter } from './heartbeatEmitter.ts';
import { createStatusBook } from './statusBook.ts';
import type { StatusBook } from './statusBook.ts';
import type { OwnReport } from './ownReport.ts';

const INTERVAL = 5_000;

describe('createHeartbeatEmitter', () => {
  it('beats at once and then every interval until stopped', () => {
    const clock = createManualClock(0);
    const book = createStatusBook({ self: 'leaf-1-1', now: clock.now });
    const sent: HeartbeatBody[] = [];
    const emitter = createHeartbeatEmitter({ book, clock, intervalMs: INTERVAL, isRoot: false, ownReport: () => ({ state: 'alive', topologyId: 't1' }), originate: (b) => sent.push(b) });
    emitter.start();
    clock.advance(3 * INTERVAL);
    expect(sent).toHaveLength(4);
    expect(sent[0]).toEqual({ state: 'alive', topologyId: 't1', intervalMs: INTERVAL });
    emitter.stop();
    clock.advance(10 * INTERVAL);
    expect(sent).toHaveLength(4);
    expect(clock.pending()).toBe(0);
  });

  it('brings the next beat forward when told, at most one per gap, and runs the interval from it', () => {
    const clock = createManualClock(0);
    const book = createStatusBook({ self: 'leaf-1-1', now: clock.now });
    const at: number[] = [];
    let clients = 0;
    const emitter = createHeartbeatEmitter({ book, clock, intervalMs: INTERVAL, minGapMs: 200, settleMs: 30, isRoot: false, ownReport: () => ({ state: 'alive', topologyId: 't1', clientsConnected: clients }), originate: () => at.push(clock.now()) });
    emitter.soon();
    expect(at).toEqual([]);
    emitter.start();
    clock.advance(50);
    clients++;
    emitter.soon();
    emitter.soon();
    clock.advance(1_000);
    clients++;
    emitter.soon();
    clock.advance(20);
    emitter.soon();
    clock.advance(10);
    clock.advance(INTERVAL);
    // The first beat at 0; brought forward to 200 (the gap after it), once for both calls; long after the gap, 30 ms on
    // (the settling wait), once for the two calls within it; then the interval.
    expect(at).toEqual([0, 200, 1_080, 1_080 + INTERVAL]);
    emitter.stop();
    emitter.soon();
    clock.advance(10 * INTERVAL);
    expect(at).toHaveLength(4);
  });

  it("holds a root's beat brought forward while a deploy is under way at it or its leaves, deployHoldMs at most", () => {
    const clock = createManualClock(0);
    const down = leaf('leaf-1-3', 'down', 't0');
    let own: OwnReport = { state: 'alive', topologyId: 't1' };
    let leaves = [leaf('leaf-1-1', 'alive', 't1'), leaf('leaf-1-2', 'alive', 't1'), down];
    const beats: string[] = [];
    const book = { recordOwn: () => undefined, leafSummaries: () => leaves };
    const originate = (body: HeartbeatBody) => beats.push(`${clock.now()} ${body.topologyId} ${body.leaves!.map((l) => l.topologyId).join(',')}`);
    const emitter = createHeartbeatEmitter({ book, clock, intervalMs: INTERVAL, minGapMs: 200, settleMs: 30, deployHoldMs: 800, isRoot: true, ownReport: () => own, originate });
    emitter.start();
    clock.advance(1_000);
    own = { state: 'deploying', topologyId: 't2' };
    emitter.soon();
    clock.advance(100);
    own = { state: 'alive', topologyId: 't2' };
    emitter.soon();
    clock.advance(100);
    leaves = [leaf('leaf-1-1', 'alive', 't2'), leaf('leaf-1-2', 'deploying', 't2'), down];
    emitter.soon();
    clock.advance(100);
    // The last leaf that reports comes (the one down counts for nothing): the beat goes out after the settling wait.
    leaves = [leaf('leaf-1-1', 'alive', 't2'), leaf('leaf-1-2', 'alive', 't2'), down];
    emitter.soon();
    clock.advance(100);
    expect(beats).toEqual(['0 t1 t1,t1,t0', '1330 t2 t2,t2,t0']);
    // Leaves that do not catch up hold it deployHoldMs after it was first asked for, no longer.
    clock.advance(1_000);
    own = { state: 'alive', topologyId: 't3' };
    emitter.soon();
    clock.advance(799);
    expect(beats).toHaveLength(2);
    clock.advance(1);
    expect(beats.at(-1)).toBe('3200 t3 t2,t2,t0');
  });

  it.each([
    ['leaf-1-1', 1_010],
    ['root-1', 1_050],
  ])('brings %s’s beat forward after its default settling wait', (self, expected) => {
    const clock = createManualClock(0);
    const at: number[] = [];
    let own: OwnReport = { state: 'alive', topologyId: 't1' };
    const isRoot = self.startsWith('root-');
    const emitter = createHeartbeatEmitter({ book: { recordOwn: () => undefined, leafSummaries: () => [] }, clock, intervalMs: INTERVAL, isRoot, ownReport: () => own, originate: () => at.push(clock.now()) });
    emitter.start();
    clock.advance(1_000);
    own = { state: 'alive', topologyId: 't2' };
    emitter.soon();
    clock.advance(100);
    expect(at).toEqual([0, expected]);
  });

  it("never holds a leaf's beat", () => {
    const clock = createManualClock(0);
    const at: number[] = [];
    let own: OwnReport = { state: 'alive', topologyId: 't1' };
    const emitter = createHeartbeatEmitter({ book: { recordOwn: () => undefined, leafSummaries: () => [] }, clock, intervalMs: INTERVAL, settleMs: 30, isRoot: false, ownReport: () => own, originate: () => at.push(clock.now()) });
    emitter.start();
    clock.advance(1_000);
    own = { state: 'deploying', topologyId: 't1' };
    emitter.soon();
    clock.advance(30);
    expect(at).toEqual([0, 1_030]);
  });

  it('brings no beat forward when it would tell what the last one told (a deploy confirmed: alive on it already)', () => {
    const clock = createManualClock(0);
    const at: number[] = [];
    let own: OwnReport = { state: 'alive', topologyId: 't1' };
    let leaves = [leaf('leaf-1-1', 'alive', 't1')];
    const emitter = createHeartbeatEmitter({ book: { recordOwn: () => undefined, leafSummaries: () => leaves }, clock, intervalMs: INTERVAL, settleMs: 30, isRoot: true, ownReport: () => own, originate: () => at.push(clock.now()) });
    emitter.start();
    clock.advance(1_000);
    own = { state: 'alive', topologyId: 't1' };
    // The leaf heard again, later: when it was heard is not worth a beat of its own.
    leaves = [{ ...leaf('leaf-1-1', 'alive', 't1'), lastHeartbeat: 900 }];
    emitter.soon();
    clock.advance(1_000);
    expect(at).toEqual([0]);
    leaves = [leaf('leaf-1-1', 'failed', 't1')];
    emitter.soon();
    clock.advance(1_000);
    expect(at).toEqual([0, 2_030]);
  });

  it.each<[string, OwnReport, LeafSummary[], boolean]>([
    ['the root deploying', { state: 'deploying', topologyId: 't1' }, [], true],
    ['a leaf deploying', { state: 'alive', topologyId: 't2' }, [leaf('leaf-1-1', 'deploying', 't2')], true],
    ['a leaf alive on another topology', { state: 'alive', topologyId: 't2' }, [leaf('leaf-1-1', 'alive', 't1')], true],
    ['a leaf failed on another topology', { state: 'failed', reason: 'x', topologyId: 't2' }, [leaf('leaf-1-1', 'failed', 't1')], true],
    ['every leaf on the root’s topology', { state: 'alive', topologyId: 't2' }, [leaf('leaf-1-1', 'alive', 't2'), leaf('leaf-1-2', 'failed', 't2')], false],
    ['leaves down or never heard', { state: 'alive', topologyId: 't2' }, [leaf('leaf-1-1', 'down', 't1'), leaf('leaf-1-2', 'pending', null)], false],
  ])('deployUnderWay: %s → %s', (_what, own, leaves, expected) => {
    expect(deployUnderWay(own, leaves)).toBe(expected);
  });

  it('keeps beating when one beat fails', () => {
    const clock = createManualClock(0);
    const book = createStatusBook({ self: 'root-1', now: clock.now });
    const errors: unknown[] = [];
    let calls = 0;
    const emitter = createHeartbeatEmitter({
      book,
      clock,
      isRoot: true,
      ownReport: () => ({ state: 'alive', topologyId: null }),
      originate: () => {
        if (calls++ === 0) throw new Error('no neighbours yet');
      },
      onError: (e) => errors.push(e),
    });
    emitter.start();
    clock.advance(INTERVAL);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it("carries a root's administrator credential, and never a leaf's", () => {
    const adminCredential = {
      credential: { user: 'administrator', scheme: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: 'A'.repeat(22), hash: 'B'.repeat(43) },
      changedAt: 7,
      changedBy: 1,
    } as const;
    const beatOf = (self: string, held: typeof adminCredential | undefined) => {
      const clock = createManualClock(0);
      const book = createStatusBook({ self, now: clock.now });
      const report = () => ({ state: 'alive', topologyId: null }) as const;
      return createHeartbeatEmitter({ book, clock, isRoot: self.startsWith('root-'), ownReport: report, credential: () => held, originate: () => undefined }).beat();
    };
    expect(beatOf('root-1', adminCredential).adminCredential).toEqual(adminCredential);
    expect(beatOf('root-1', undefined)).not.toHaveProperty('adminCredential');
    expect(beatOf('leaf-1-1', adminCredential)).not.toHaveProperty('adminCredential');
  });

  describe('across an overlay', () => {
    // Three roots with two leaves each; every node beats; the flood uses the overlay's policy.
    function overlay() {
      const clock = createManualClock(1_700_000_000_000);
      const graph = randomOverlay({ roots: 3, leavesPerRoot: 2, extraTunnels: 1, random: seededRandom(3) });
      const books = new Map<string, StatusBook>();
      const reports = new Map<string, OwnReport>();
      const network = createMemoryNetwork({
        neighbours: graph.neighbours,
        now: clock.now,
        router: { shouldSend: overlayShouldSend },
        handle: (node, message) => {
          if (message.type === 'heartbeat') books.get(node)!.record(message);
        },
      });
      const emitters = new Map<string, HeartbeatEmitter>();
      for (const node of graph.nodes) {
        const book = createStatusBook({ self: node, now: clock.now, intervalMs: INTERVAL });
        book.expect(graph.nodes);
        books.set(node, book);
        reports.set(node, { state: 'alive', topologyId: 't1' });
        const emitter = createHeartbeatEmitter({
          book,
          clock,
          intervalMs: INTERVAL,
          isRoot: node.startsWith('root-'),
          ownReport: () => reports.get(node)!,
          originate: (body) => {
            network.router(node).originate('heartbeat', body);
            network.deliverAll();
          },
        });
        emitters.set(node, emitter);
        emitter.start();
      }
      return { clock, books, reports, emitters, network };
    }

    it("every root sees every node alive, leaves included through their roots' summaries", () => {
      const { clock, books } = overlay();
      clock.advance(4 * INTERVAL);
      for (const root of ['root-1', 'root-2', 'root-3']) {
        const states = books.get(root)!.snapshot().nodes.map((n) => `${n.node}:${n.state}`);
        expect(states).toEqual(['root-1', 'leaf-1-1', 'leaf-1-2', 'root-2', 'leaf-2-1', 'leaf-2-2', 'root-3', 'leaf-3-1', 'leaf-3-2'].map((n) => `${n}:alive`));
      }
    });

    it('a leaf that stops is down everywhere after three intervals; a failed one says why', () => {
      const { clock, books, emitters, reports } = overlay();
      clock.advance(2 * INTERVAL);
      emitters.get('leaf-2-1')!.stop();
      reports.set('leaf-3-2', { state: 'failed', topologyId: 't1', reason: 'openvpn exited with status 1' });
      clock.advance(3 * INTERVAL + 1);
      expect(books.get('root-2')!.statusOf('leaf-2-1')?.state).toBe('down');
      // Remote roots learn it one beat later, from root-2's summary.
      clock.advance(INTERVAL);
      expect(books.get('root-1')!.statusOf('leaf-2-1')?.state).toBe('down');
      expect(books.get('root-1')!.statusOf('leaf-3-2')).toMatchObject({ state: 'failed', reason: 'openvpn exited with status 1' });
    });

    it('a root that stops is down, and so are its leaves as far as the other roots know', () => {
      const { clock, books, emitters, network } = overlay();
      clock.advance(2 * INTERVAL);
      emitters.get('root-3')!.stop();
      network.setDown('root-3', true);
      clock.advance(3 * INTERVAL + 1);
      const book = books.get('root-1')!;
      expect(['root-3', 'leaf-3-1', 'leaf-3-2'].map((n) => book.statusOf(n)?.state)).toEqual(['down', 'down', 'down']);
      expect(book.liveRoots()).toEqual([1, 2]);
    });
  });
});

function leaf(node: string, state: NodeState, topologyId: string | null): LeafSummary {
  return { node, state, lastHeartbeat: 0, topologyId, ...(state === 'failed' ? { reason: 'it failed' } : {}) };
}
