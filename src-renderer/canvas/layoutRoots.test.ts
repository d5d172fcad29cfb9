import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import type { Layout } from './layoutRoots.ts';
import { layOutWithElk, placeUnplaced } from './layoutRoots.ts';
import { ROOT_SIZE } from './rootBox.ts';
import { fortyUnplacedRoots, sampleRoot as root } from './sampleTopologies.testkit.ts';

const overlapping = (positions: { x: number; y: number }[]) =>
  positions.flatMap((p, i) => positions.slice(i + 1).filter((q) => Math.abs(p.x - q.x) < ROOT_SIZE.width && Math.abs(p.y - q.y) < ROOT_SIZE.height).map((q) => [p, q]));

describe('placeUnplaced', () => {
  it('lays out 40 roots without positions readably: none overlaps another, and the drawing is about as high as wide', async () => {
    const positions = [...(await placeUnplaced(fortyUnplacedRoots())).values()];
    expect(positions).toHaveLength(40);
    expect(overlapping(positions)).toEqual([]);
    const width = Math.max(...positions.map((p) => p.x)) - Math.min(...positions.map((p) => p.x)) + ROOT_SIZE.width;
    const height = Math.max(...positions.map((p) => p.y)) - Math.min(...positions.map((p) => p.y)) + ROOT_SIZE.height;
    expect(width / height).toBeGreaterThan(0.5);
    expect(width / height).toBeLessThan(2.5);
    // At the canvas's size in the browser tests (about 1000 × 780 px), fit view then shows roots at a third of their size or more.
    expect(Math.min(1000 / width, 780 / height)).toBeGreaterThan(0.3);
  }, 20_000);

  it('places only the roots without a position, as a block to the right of the others, level with their top', async () => {
    const calls: number[][] = [];
    const layout: Layout = async (ids) => {
      calls.push([...ids]);
      return new Map(ids.map((id, i) => [id, { x: 50 + 300 * i, y: 70 }]));
    };
    const topology: Topology = { roots: [root(1, { x: 0, y: -40 }), root(2), root(3, { x: 500, y: 200 }), root(4)], tunnels: [] };
    expect(await placeUnplaced(topology, layout)).toEqual(
      new Map([
        [2, { x: 500 + ROOT_SIZE.width + 160, y: -40 }],
        [4, { x: 500 + ROOT_SIZE.width + 160 + 300, y: -40 }],
      ]),
    );
    expect(calls).toEqual([[2, 4]]);
  });

  it('lays out nothing when every root has a place', async () => {
    expect(await placeUnplaced({ roots: [root(1, { x: 0, y: 0 })], tunnels: [] }, () => Promise.reject(new Error('not called')))).toEqual(new Map());
  });

  it('keeps the tunnels among the roots it lays out, and only those', async () => {
    const laid = await layOutWithElk([1, 2], [{ a: 1, b: 2 }, { a: 2, b: 9 }]);
    expect([...laid.keys()]).toEqual([1, 2]);
    expect(overlapping([...laid.values()])).toEqual([]);
  });
});
