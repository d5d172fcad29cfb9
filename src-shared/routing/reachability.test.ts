import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRoot, validTopology } from '../topology/arbitraries.testkit.ts';
import type { Topology } from '../topology/schemas.ts';
import { describeRemoval, lostWithout, parseRemoval, reachabilityMatrix, reachabilityWarnings } from './reachability.ts';

const named = (names: Record<number, string>, tunnels: Array<[number, number]>): Topology => ({
  roots: Object.entries(names).map(([id, name]) => makeRoot(Number(id), { name })),
  tunnels: tunnels.map(([a, b]) => ({ a, b })),
});

const clouds = { 1: 'on-prem', 2: 'aws-east', 3: 'gcp-west', 4: 'azure-north' };

describe('reachabilityWarnings', () => {
  it.each([
    { what: 'a hub and spokes', tunnels: [[1, 2], [1, 3], [1, 4]], messages: [] },
    { what: 'a lone root', tunnels: [[1, 2], [2, 3]], messages: ['on-prem and the 2 roots joined to it cannot reach azure-north: no path of tunnels'] },
    { what: 'two pairs', tunnels: [[1, 2], [3, 4]], messages: ['on-prem and the 1 root joined to it cannot reach gcp-west and the 1 root joined to it: no path of tunnels'] },
    {
      what: 'no tunnels',
      tunnels: [],
      messages: [
        'on-prem cannot reach aws-east: no path of tunnels',
        'on-prem cannot reach gcp-west: no path of tunnels',
        'on-prem cannot reach azure-north: no path of tunnels',
        'aws-east cannot reach gcp-west: no path of tunnels',
        'aws-east cannot reach azure-north: no path of tunnels',
        'gcp-west cannot reach azure-north: no path of tunnels',
      ],
    },
  ] as const)('$what', ({ tunnels, messages }) => {
    const warnings = reachabilityWarnings(named(clouds, tunnels.map(([a, b]) => [a, b])));
    expect(warnings.map((w) => w.message)).toEqual(messages);
  });

  it('names the groups by root id', () => {
    expect(reachabilityWarnings(named(clouds, [[1, 2], [2, 3]]))).toEqual([
      { from: [1, 2, 3], to: [4], message: 'on-prem and the 2 roots joined to it cannot reach azure-north: no path of tunnels' },
    ]);
  });
});

describe('reachabilityMatrix', () => {
  it('gives the tunnels on each path, null where none joins, 0 on the diagonal', () => {
    expect(reachabilityMatrix(named(clouds, [[1, 2], [2, 3]]))).toEqual({
      rootIds: [1, 2, 3, 4],
      tunnels: [
        [0, 1, 2, null],
        [1, 0, 1, null],
        [2, 1, 0, null],
        [null, null, null, 0],
      ],
    });
  });

  it('agrees with the warnings: a pair is null exactly when a warning separates it', () => {
    fc.assert(
      fc.property(validTopology, (t) => {
        const matrix = reachabilityMatrix(t);
        const separated = new Set(reachabilityWarnings(t).flatMap((w) => w.from.flatMap((x) => w.to.flatMap((y) => [`${x},${y}`, `${y},${x}`]))));
        matrix.rootIds.forEach((x, i) => matrix.rootIds.forEach((y, j) => expect(matrix.tunnels[i]![j] === null).toBe(separated.has(`${x},${y}`))));
      }),
    );
  });
});

describe('what if a tunnel or a root went away', () => {
  const ring = named(clouds, [[1, 2], [2, 3], [3, 4], [4, 1]]);
  const hub = named(clouds, [[1, 2], [1, 3], [1, 4]]);

  it.each([
    { what: 'a tunnel of a ring', topology: ring, removal: 'tunnel:2-1', lost: [] },
    { what: 'a tunnel to a spoke', topology: hub, removal: 'tunnel:1-3', lost: ['on-prem and the 2 roots joined to it and gcp-west would lose each other'] },
    {
      what: 'the hub',
      topology: hub,
      removal: 'root:1',
      lost: ['aws-east and gcp-west would lose each other', 'aws-east and azure-north would lose each other', 'gcp-west and azure-north would lose each other'],
    },
    { what: 'a spoke', topology: hub, removal: 'root:4', lost: [] },
  ])('$what ($removal)', ({ topology, removal, lost }) => {
    const answer = lostWithout(topology, parseRemoval(removal)!);
    expect(answer).toEqual({ ok: true, lost: expect.any(Array) });
    if (answer.ok) expect(answer.lost.map((l) => l.message)).toEqual(lost);
  });

  it('pairs already apart are not lost again', () => {
    const answer = lostWithout(named(clouds, [[1, 2], [3, 4]]), { kind: 'tunnel', a: 3, b: 4 });
    expect(answer).toEqual({ ok: true, lost: [{ from: [3], to: [4], message: 'gcp-west and azure-north would lose each other' }] });
  });

  it.each([
    ['tunnel:1-3', 'there is no tunnel-1-3'],
    ['root:9', 'there is no root 9'],
  ])('refuses %s that is not there', (text, reason) => {
    expect(lostWithout(ring, parseRemoval(text)!)).toEqual({ ok: false, reason });
  });

  it.each([
    ['tunnel:1-2', { kind: 'tunnel', a: 1, b: 2 }],
    ['tunnel:12-3', { kind: 'tunnel', a: 12, b: 3 }],
    ['root:3', { kind: 'root', id: 3 }],
    ['root:0', undefined],
    ['tunnel:1', undefined],
    ['leaf:1-1', undefined],
    ['root:3 ', undefined],
  ])('reads %j', (text, removal) => {
    expect(parseRemoval(text)).toEqual(removal);
  });

  it('names what went away', () => {
    expect(describeRemoval(ring, { kind: 'tunnel', a: 2, b: 1 })).toBe('tunnel-1-2');
    expect(describeRemoval(ring, { kind: 'root', id: 3 })).toBe('root-3 (gcp-west)');
  });

  it('a pair is lost exactly when it was joined and is not joined any more', () => {
    fc.assert(
      fc.property(validTopology, fc.nat(), (t, n) => {
        fc.pre(t.tunnels.length > 0);
        const tunnel = t.tunnels[n % t.tunnels.length]!;
        const answer = lostWithout(t, { kind: 'tunnel', ...tunnel });
        if (!answer.ok) throw new Error(answer.reason);
        const after = { roots: t.roots, tunnels: t.tunnels.filter((x) => x !== tunnel) };
        const joined = (top: Topology) => {
          const m = reachabilityMatrix(top);
          return (x: number, y: number) => m.tunnels[m.rootIds.indexOf(x)]![m.rootIds.indexOf(y)] !== null;
        };
        const [was, is] = [joined(t), joined(after)];
        const lost = new Set(answer.lost.flatMap((l) => l.from.flatMap((x) => l.to.flatMap((y) => [`${x},${y}`, `${y},${x}`]))));
        for (const x of t.roots) for (const y of t.roots) if (x.id < y.id) expect(lost.has(`${x.id},${y.id}`)).toBe(was(x.id, y.id) && !is(x.id, y.id));
      }),
    );
  });
});
