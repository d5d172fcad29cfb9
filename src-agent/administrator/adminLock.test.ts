import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rootNodeName } from '../../src-shared/plan/nodeNames.ts';
import { createManualClock } from '../clock.ts';
import { overlayShouldSend } from '../flood/forwardPolicy.ts';
import { createMemoryNetwork } from '../flood/memoryNetwork.ts';
import { randomOverlay, seededRandom } from '../flood/overlayGraph.ts';
import type { FloodMessage, FloodMessageOf, MessageBody } from '../../src-shared/protocol/messages.ts';
import { createStatusBook } from '../heartbeat/statusBook.ts';
import { createAdminLock } from './adminLock.ts';
import type { AdminLock } from './adminLock.ts';

/** `roots` roots (with a leaf each) in a random connected graph, each running the lock; all roots live unless told. */
function overlay(roots: number, seed = 1) {
  const clock = createManualClock(1_700_000_000_000);
  const graph = randomOverlay({ roots, leavesPerRoot: 1, extraTunnels: roots, random: seededRandom(seed) });
  const live = new Set(Array.from({ length: roots }, (_, i) => i + 1));
  const locks = new Map<number, AdminLock>();
  const network = createMemoryNetwork({
    neighbours: graph.neighbours,
    now: clock.now,
    router: { shouldSend: overlayShouldSend },
    handle: (node, message) => {
      const id = Number(node.slice('root-'.length));
      if (node.startsWith('root-')) locks.get(id)!.receive(message);
    },
  });
  let ids = 0;
  for (let id = 1; id <= roots; id++) {
    locks.set(
      id,
      createAdminLock({
        selfRootId: id,
        now: clock.now,
        liveRoots: () => [...live],
        flood: (type, body) => network.router(rootNodeName(id)).originate(type, body),
        newLoginId: () => `login-${String(++ids).padStart(4, '0')}`,
      }),
    );
  }
  const lock = (id: number) => locks.get(id)!;
  const tickAll = () => {
    for (const l of locks.values()) l.tick();
    network.deliverAll();
  };
  return { clock, network, live, lock, locks, tickAll };
}

function loggedIn(result: ReturnType<AdminLock['login']>): string {
  if (!result.ok) throw new Error(`login refused: ${result.reason}`);
  return result.loginId;
}

describe('the administrator lock', () => {
  it('on a lone root a login completes at once', () => {
    const { lock } = overlay(1);
    const result = lock(1).login('alice');
    expect(result).toMatchObject({ ok: true, progress: { phase: 'active', acknowledged: 1, expected: 1, waitingFor: [] } });
  });

  it('a login completes when every live root has acknowledged, and every root then knows the holder', () => {
    const { lock, network, locks } = overlay(4);
    const loginId = loggedIn(lock(3).login('alice'));
    expect(lock(3).progress(loginId)).toEqual({ loginId, phase: 'waiting', acknowledged: 1, expected: 4, waitingFor: [1, 2, 4] });
    network.deliverAll();
    expect(lock(3).progress(loginId)).toEqual({ loginId, phase: 'active', acknowledged: 4, expected: 4, waitingFor: [] });
    for (const l of locks.values()) expect(l.holder()).toEqual({ rootId: 3, loginId, user: 'alice', established: true });
  });

  it.each([
    [2, 4],
    [4, 2],
  ])('two logins at the same moment at roots %i and %i: the lower id wins, the other is told why', (first, second) => {
    const { lock, network, locks } = overlay(5);
    const a = loggedIn(lock(first).login('alice'));
    const b = loggedIn(lock(second).login('bob'));
    network.deliverAll();
    const [winner, loser] = first < second ? [first, second] : [second, first];
    const [winnerId, loserId] = first < second ? [a, b] : [b, a];
    expect(lock(winner).progress(winnerId)?.phase).toBe('active');
    expect(lock(loser).progress(loserId)).toMatchObject({ phase: 'refused' });
    expect(lock(loser).progress(loserId)?.reason).toContain(`root ${winner} has the lower id`);
    for (const l of locks.values()) expect(l.holder()).toMatchObject({ rootId: winner, established: true });
  });

  it('simultaneous logins at any roots, delivered in any order: exactly the lowest root id gets in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 1, max: n }), { minLength: 2, maxLength: n }), fc.integer(), fc.integer())),
        ([n, at, graphSeed, orderSeed]) => {
          const { lock, network, locks } = overlay(n, graphSeed);
          const logins = at.map((root) => ({ root, loginId: loggedIn(lock(root).login(`user${root}`)) }));
          network.deliverAll(seededRandom(orderSeed));
          const lowest = Math.min(...at);
          for (const { root, loginId } of logins) {
            const progress = lock(root).progress(loginId)!;
            expect(progress.phase).toBe(root === lowest ? 'active' : 'refused');
            if (root !== lowest) expect(progress.reason).toMatch(/lower id|logged in at root/);
          }
          for (const l of locks.values()) expect(l.holder()).toMatchObject({ rootId: lowest, established: true });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a later login does not take over an established session, even from a lower root id', () => {
    const { lock, network, locks, live } = overlay(4);
    // Root 1 is away while alice logs in at root 3, so it has not heard of her session.
    network.setDown('root-1', true);
    live.delete(1);
    const session = loggedIn(lock(3).login('alice'));
    network.deliverAll();
    expect(lock(3).progress(session)?.phase).toBe('active');
    network.setDown('root-1', false);
    live.add(1);
    const late = loggedIn(lock(1).login('bob'));
    network.deliverAll();
    expect(lock(1).progress(late)).toMatchObject({ phase: 'refused', reason: 'administrator "alice" is logged in at root 3' });
    expect(lock(3).progress(session)?.phase).toBe('active');
    for (const l of locks.values()) expect(l.holder()).toMatchObject({ rootId: 3, loginId: session, established: true });
    // Now that root 1 knows of the session, it refuses a login at once.
    expect(lock(1).login('carol')).toEqual({ ok: false, reason: 'administrator "alice" is logged in at root 3' });
  });

  it('a root that acknowledged a lower root still logging in refuses a login of its own at once', () => {
    const { lock, network } = overlay(3);
    network.setDown('root-2', true);
    const pending = loggedIn(lock(1).login('alice'));
    network.deliverAll();
    expect(lock(1).progress(pending)?.phase).toBe('waiting');
    expect(lock(3).login('bob')).toEqual({ ok: false, reason: 'root 1 has the lower id and is logging in administrator "alice" at the same time' });
  });

  it('refuses a second login at a root that has one', () => {
    const { lock, network } = overlay(2);
    loggedIn(lock(1).login('alice'));
    expect(lock(1).login('bob')).toEqual({ ok: false, reason: 'administrator "alice" is logging in at root 1' });
    network.deliverAll();
    expect(lock(1).login('bob')).toEqual({ ok: false, reason: 'administrator "alice" is logged in at root 1' });
  });

  it('logout floods i_lost_administrator and frees the lock everywhere', () => {
    const { lock, network, locks } = overlay(3);
    const session = loggedIn(lock(2).login('alice'));
    network.deliverAll();
    expect(lock(2).logout('nope')).toBe(false);
    expect(lock(2).logout(session)).toBe(true);
    network.deliverAll();
    expect(lock(2).progress(session)).toMatchObject({ phase: 'ended', reason: 'logged out' });
    for (const l of locks.values()) expect(l.holder()).toBeNull();
    const next = loggedIn(lock(3).login('bob'));
    network.deliverAll();
    expect(lock(3).progress(next)?.phase).toBe('active');
  });

  it('a session idle for 30 minutes ends; activity keeps it', () => {
    const { lock, network, clock, tickAll, locks } = overlay(3);
    const session = loggedIn(lock(1).login('alice'));
    network.deliverAll();
    clock.advance(29 * 60_000);
    expect(lock(1).touch(session)).toBe(true);
    clock.advance(29 * 60_000);
    tickAll();
    expect(lock(1).progress(session)?.phase).toBe('active');
    clock.advance(60_000);
    tickAll();
    expect(lock(1).progress(session)).toMatchObject({ phase: 'ended', reason: 'idle for 30 minutes' });
    expect(lock(1).touch(session)).toBe(false);
    for (const l of locks.values()) expect(l.holder()).toBeNull();
  });

  it('waits for a silent live root, asks again every 4 s, and completes once that root is known down', () => {
    const { lock, network, clock, tickAll, live } = overlay(4);
    network.setDown('root-4', true);
    const loginId = loggedIn(lock(2).login('alice'));
    network.deliverAll();
    expect(lock(2).progress(loginId)).toMatchObject({ phase: 'waiting', acknowledged: 3, expected: 4, waitingFor: [4] });
    const before = network.sent;
    clock.advance(4_000);
    tickAll();
    expect(network.sent).toBeGreaterThan(before);
    live.delete(4);
    tickAll();
    expect(lock(2).progress(loginId)).toMatchObject({ phase: 'active', acknowledged: 3, expected: 3 });
  });

  it('a root that comes back and is asked again acknowledges', () => {
    const { lock, network, clock, tickAll } = overlay(3);
    network.setDown('root-3', true);
    const loginId = loggedIn(lock(1).login('alice'));
    network.deliverAll();
    network.setDown('root-3', false);
    clock.advance(4_000);
    tickAll();
    expect(lock(1).progress(loginId)?.phase).toBe('active');
  });

  it('gives a login up when a live root never answers, saying which', () => {
    const { lock, network, clock, tickAll, locks } = overlay(3);
    network.setDown('root-3', true);
    const loginId = loggedIn(lock(1).login('alice'));
    network.deliverAll();
    clock.advance(120_000);
    tickAll();
    expect(lock(1).progress(loginId)).toMatchObject({ phase: 'refused', reason: 'timed out: root 3 did not acknowledge within 120 s' });
    expect(locks.get(2)!.holder()).toBeNull();
  });

  it('lets go of the claim of a root that went down, so the overlay is not locked forever', () => {
    const { lock, network, tickAll, live } = overlay(3);
    loggedIn(lock(3).login('alice'));
    network.deliverAll();
    expect(lock(1).login('bob')).toMatchObject({ ok: false });
    network.setDown('root-3', true);
    live.delete(3);
    tickAll();
    expect(lock(1).holder()).toBeNull();
    const next = loggedIn(lock(1).login('bob'));
    network.deliverAll();
    expect(lock(1).progress(next)?.phase).toBe('active');
  });

  describe('on a root that has just started, with the status book as the agent wires it', () => {
    const INTERVAL = 5_000;
    const message = <T extends 'i_have_administrator' | 'acknowledge_administrator'>(origin: string, ts: number, type: T, body: MessageBody<T>) =>
      ({ id: `${origin}.${ts}`, origin, type, ts, sig: 'A'.repeat(86), body }) as FloodMessage;
    const heartbeat = (origin: string, ts: number): FloodMessageOf<'heartbeat'> => ({
      id: `${origin}.${ts}`,
      origin,
      type: 'heartbeat',
      ts,
      sig: 'A'.repeat(86),
      body: { state: 'pending', topologyId: null, intervalMs: INTERVAL },
    });

    function freshRoot(options: { remembered?: string[]; neighbours?: string[] } = {}) {
      const clock = createManualClock(1_700_000_000_000);
      const book = createStatusBook({ self: 'root-1', now: clock.now, intervalMs: INTERVAL, remembered: options.remembered ?? [] });
      book.expect(options.neighbours ?? []);
      book.recordOwn({ state: 'pending', topologyId: null });
      const lock = createAdminLock({
        selfRootId: 1,
        now: clock.now,
        liveRoots: () => book.liveRoots(),
        heardFrom: (node) => book.heardFrom(node),
        flood: () => undefined,
        newLoginId: () => 'login-1',
      });
      return { clock, book, lock };
    }

    it('a login waits for the roots it knows of but has not heard yet, and for a silent one only until it is known down', () => {
      // root-2 from its configured neighbours, root-3 remembered from before the restart; no heartbeat from either yet.
      const { clock, book, lock } = freshRoot({ neighbours: ['root-2'], remembered: ['root-3'] });
      const loginId = loggedIn(lock.login('alice'));
      expect(lock.progress(loginId)).toEqual({ loginId, phase: 'waiting', acknowledged: 1, expected: 3, waitingFor: [2, 3] });
      clock.advance(1_000);
      book.record(heartbeat('root-2', clock.now()));
      lock.receive(message('root-2', clock.now(), 'acknowledge_administrator', { rootId: 1, loginId, granted: true }));
      lock.tick();
      expect(lock.progress(loginId)).toEqual({ loginId, phase: 'waiting', acknowledged: 2, expected: 3, waitingFor: [3] });
      clock.advance(3 * INTERVAL - 1_000);
      lock.tick();
      expect(lock.progress(loginId)?.phase).toBe('waiting');
      // Three intervals since the start without a word from root-3: it is down, and no longer counts.
      clock.advance(1);
      lock.tick();
      expect(lock.progress(loginId)).toEqual({ loginId, phase: 'active', acknowledged: 2, expected: 2, waitingFor: [] });
    });

    it('honours the claim of a root known only from its lock message, and refuses a login meanwhile', () => {
      const { clock, lock } = freshRoot({ neighbours: ['root-2'] });
      lock.receive(message('root-4', clock.now(), 'i_have_administrator', { loginId: 'login-4', user: 'bob', established: true }));
      clock.advance(2_000);
      lock.tick();
      expect(lock.holder()).toEqual({ rootId: 4, loginId: 'login-4', user: 'bob', established: true });
      expect(lock.login('alice')).toEqual({ ok: false, reason: 'administrator "bob" is logged in at root 4' });
      // root-4 falls silent: once it is known down, its claim is let go.
      clock.advance(3 * INTERVAL);
      lock.tick();
      expect(lock.holder()).toBeNull();
    });
  });

  it('ignores messages that are not about the lock, and lock messages from leaves', () => {
    const { lock, network } = overlay(2);
    const leafMessage = network.router('leaf-2-1').originate('i_have_administrator', { loginId: 'login-leaf', user: 'mallory', established: true });
    lock(1).receive(leafMessage);
    lock(1).receive(network.router('root-2').originate('confirm_deploy', { topologyId: 't1' }));
    expect(lock(1).holder()).toBeNull();
  });
});
