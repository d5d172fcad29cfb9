import { describe, expect, it } from 'vitest';
import { ConnectionGuard, DEFAULT_CONNECTION_LIMITS, withinOpenFiles } from './connectionGuard.ts';
import type { ConnectionLimits } from './connectionGuard.ts';

const roomy: ConnectionLimits = { total: 100, uncertified: 100, uncertifiedPerAddress: 100, perNode: 100 };
const timeouts = { handshakeMs: 5_000, idleMs: 5_000 };
const guardOf = (limits: Partial<ConnectionLimits>) => new ConnectionGuard<string>({ ...roomy, ...limits }, timeouts);

describe('ConnectionGuard', () => {
  it('admits connections while there is room', () => {
    const guard = guardOf({});
    expect(guard.admit('a', '10.0.0.1', 0)).toEqual({ admitted: true, evicted: [] });
    expect(guard.admit('b', '10.0.0.2', 0)).toEqual({ admitted: true, evicted: [] });
  });

  it.each<[string, Partial<ConnectionLimits>]>([
    ['the total', { total: 2 }],
    ['the uncertified', { uncertified: 2 }],
  ])('makes room at a full cap of %s by closing the oldest still in its handshake', (_cap, limits) => {
    const guard = guardOf(limits);
    guard.admit('old', '10.0.0.1', 0);
    guard.admit('young', '10.0.0.1', 1);
    expect(guard.admit('new', '10.0.0.3', 2)).toEqual({ admitted: true, evicted: ['old'] });
  });

  it("refuses an address's connection past its share, until one of its own goes, and no other address's", () => {
    const guard = guardOf({ uncertifiedPerAddress: 2 });
    guard.admit('attack-1', '10.0.0.1', 1);
    guard.admit('attack-2', '10.0.0.1', 2);
    expect([guard.isFull('10.0.0.1'), guard.isFull('10.0.0.9')]).toEqual([true, false]);
    expect(guard.admit('attack-3', '10.0.0.1', 3)).toEqual({ admitted: false, evicted: [] });
    expect(guard.admit('neighbour', '10.0.0.9', 3)).toEqual({ admitted: true, evicted: [] });
    guard.closed('attack-1');
    expect(guard.admit('attack-4', '10.0.0.1', 4)).toEqual({ admitted: true, evicted: [] });
  });

  it("frees an address's share when its connection is certified", () => {
    const guard = guardOf({ uncertifiedPerAddress: 1 });
    guard.admit('neighbour', '10.0.0.2', 0);
    guard.handshaken('neighbour', 'root-2', 1);
    expect(guard.isFull('10.0.0.2')).toBe(false);
  });

  it('prefers one in its handshake to an idle uncertified one, and that to refusing', () => {
    const guard = guardOf({ uncertified: 2 });
    guard.admit('idle', '10.0.0.1', 0);
    guard.handshaken('idle', undefined, 1);
    guard.admit('handshaking', '10.0.0.2', 2);
    expect(guard.admit('c', '10.0.0.3', 3).evicted).toEqual(['handshaking']);
    guard.handshaken('c', undefined, 4);
    expect(guard.admit('d', '10.0.0.4', 5).evicted).toEqual(['idle']);
  });

  it('takes room from the address that holds the most, however young its connections are', () => {
    const guard = guardOf({ uncertified: 4 });
    guard.admit('admin', '10.0.0.1', 0);
    guard.admit('attack-1', '10.0.0.2', 1);
    guard.admit('attack-2', '10.0.0.2', 2);
    guard.admit('attack-3', '10.0.0.2', 3);
    expect(guard.admit('attack-4', '10.0.0.3', 4).evicted).toEqual(['attack-1']);
    expect(guard.admit('attack-5', '10.0.0.3', 5).evicted).toEqual(['attack-2']);
    expect(guard.admit('attack-6', '10.0.0.4', 6).evicted).toEqual(['attack-4']);
    // Every address holds one now: the one that has held one the longest gives way, as oldest first would have it.
    expect(guard.admit('attack-7', '10.0.0.5', 7).evicted).toEqual(['admin']);
  });

  it('never closes a connection with a request in progress, nor a certified one, to make room: it refuses the new one', () => {
    const guard = guardOf({ total: 2, uncertified: 2 });
    guard.admit('app', '10.0.0.1', 0);
    guard.handshaken('app', undefined, 1);
    guard.requestStarted('app');
    guard.admit('neighbour', '10.0.0.2', 2);
    guard.handshaken('neighbour', 'root-2', 3);
    expect(guard.admit('new', '10.0.0.3', 4)).toEqual({ admitted: false, evicted: [] });
    guard.requestEnded('app', 5);
    expect(guard.admit('new', '10.0.0.3', 6)).toEqual({ admitted: true, evicted: ['app'] });
  });

  it('counts a certified connection against its node and not against its address', () => {
    const guard = guardOf({ uncertifiedPerAddress: 1, perNode: 2 });
    for (const c of ['n1', 'n2', 'n3']) {
      expect(guard.admit(c, '10.0.0.2', 0)).toEqual({ admitted: true, evicted: [] });
      expect(guard.handshaken(c, 'root-2', 0)).toBe(c !== 'n3');
    }
    guard.closed('n1');
    guard.admit('n4', '10.0.0.2', 1);
    expect(guard.handshaken('n4', 'root-2', 1)).toBe(true);
  });

  it('does not let a connection evicted during its handshake come back when the handshake finishes', () => {
    const guard = guardOf({ total: 1 });
    guard.admit('old', '10.0.0.1', 0);
    guard.admit('new', '10.0.0.2', 1);
    expect(guard.handshaken('old', 'root-2', 2)).toBe(false);
  });

  it('expires handshakes and idle uncertified connections at their deadlines, and nothing else', () => {
    const guard = guardOf({});
    guard.admit('slow', '10.0.0.1', 0);
    guard.admit('idle', '10.0.0.2', 0);
    guard.handshaken('idle', undefined, 1_000);
    guard.admit('busy', '10.0.0.3', 0);
    guard.handshaken('busy', undefined, 0);
    guard.requestStarted('busy');
    guard.admit('neighbour', '10.0.0.4', 0);
    guard.handshaken('neighbour', 'root-2', 0);
    expect(guard.expired(4_999)).toEqual([]);
    expect(guard.expired(5_000)).toEqual(['slow']);
    expect(guard.expired(6_000)).toEqual(['idle']);
    expect(guard.expired(60_000)).toEqual([]);
    guard.requestEnded('busy', 60_000);
    expect(guard.expired(65_000)).toEqual(['busy']);
  });

  it('keeps an idle connection idle from its last request on, not from its first', () => {
    const guard = guardOf({});
    guard.admit('app', '10.0.0.1', 0);
    guard.handshaken('app', undefined, 0);
    guard.requestStarted('app');
    guard.requestEnded('app', 4_000);
    expect(guard.expired(8_999)).toEqual([]);
    expect(guard.expired(9_000)).toEqual(['app']);
  });

  it('holds no more than its caps through a flood from many addresses, and still lets a late connection finish', () => {
    const limits = { total: 64, uncertified: 32, uncertifiedPerAddress: 4, perNode: 16 };
    const guard = new ConnectionGuard<string>(limits, timeouts);
    const open = new Set<string>();
    const admit = (c: string, address: string, now: number) => {
      const { admitted, evicted } = guard.admit(c, address, now);
      for (const e of evicted) open.delete(e);
      if (admitted) open.add(c);
      return admitted;
    };
    for (let i = 0; i < 8; i++) {
      admit(`neighbour-${i}`, `10.1.0.${i}`, 0);
      guard.handshaken(`neighbour-${i}`, `root-${i}`, 0);
    }
    let now = 1;
    for (let i = 0; i < 10_000; i++, now++) {
      admit(`attack-${i}`, `10.2.${i % 200}.1`, now);
      expect(open.size).toBeLessThanOrEqual(limits.total);
      if (i === 5_000) expect(admit('admin', '10.0.0.1', now)).toBe(true);
      // The administrator's handshake takes a few of the attacker's arrivals; the neighbours stay throughout.
      if (i === 5_010) expect(guard.handshaken('admin', undefined, now)).toBe(true);
    }
    expect([...open].filter((c) => !c.startsWith('attack-'))).toEqual([...Array.from({ length: 8 }, (_, i) => `neighbour-${i}`), 'admin']);
    expect(open.size).toBe(8 + limits.uncertified);
  });
});

describe('withinOpenFiles', () => {
  it.each<[number | undefined, ConnectionLimits]>([
    [undefined, DEFAULT_CONNECTION_LIMITS],
    [1_048_576, DEFAULT_CONNECTION_LIMITS],
    [20_000, DEFAULT_CONNECTION_LIMITS],
    [1_024, { total: 512, uncertified: 256, uncertifiedPerAddress: 32, perNode: 16 }],
    [256, { total: 128, uncertified: 128, uncertifiedPerAddress: 32, perNode: 16 }],
    [32, { total: 16, uncertified: 16, uncertifiedPerAddress: 16, perNode: 16 }],
  ])('holds connections to half of an open-file limit of %s', (openFiles, limits) => {
    expect(withinOpenFiles(DEFAULT_CONNECTION_LIMITS, openFiles)).toEqual(limits);
  });
});
