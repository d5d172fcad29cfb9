import { describe, expect, it } from 'vitest';
import { parseNodeName } from '../../src-shared/plan/nodeNames.ts';
import { randomOverlay, seededRandom } from './overlayGraph.ts';
import type { Overlay } from './overlayGraph.ts';

function reachable(overlay: Overlay, from: string): Set<string> {
  const seen = new Set([from]);
  const stack = [from];
  while (stack.length > 0) {
    for (const n of overlay.neighbours.get(stack.pop()!)!) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}

describe('randomOverlay', () => {
  it.each([
    [1, 0, 0],
    [1, 5, 3],
    [8, 3, 4],
    [5, 2, 100],
    [40, 10, 30],
  ])('%i roots, %i leaves each, %i extra tunnels: connected, symmetric, leaves only under their root', (roots, leaves, extra) => {
    const overlay = randomOverlay({ roots, leavesPerRoot: leaves, extraTunnels: extra, random: seededRandom(7) });
    expect(overlay.nodes).toHaveLength(roots * (1 + leaves));
    expect(reachable(overlay, 'root-1').size).toBe(overlay.nodes.length);
    const tunnels = Math.min(roots - 1 + extra, (roots * (roots - 1)) / 2);
    expect(overlay.links).toBe(tunnels + roots * leaves);
    let degrees = 0;
    for (const [node, peers] of overlay.neighbours) {
      degrees += peers.length;
      expect(new Set(peers).size).toBe(peers.length);
      for (const peer of peers) expect(overlay.neighbours.get(peer)).toContain(node);
      const name = parseNodeName(node)!;
      if (name.role === 'leaf') expect(peers).toEqual([`root-${name.rootId}`]);
    }
    expect(degrees).toBe(2 * overlay.links);
  });

  it('is the same overlay for the same seed', () => {
    const a = randomOverlay({ roots: 20, leavesPerRoot: 2, extraTunnels: 10, random: seededRandom(42) });
    const b = randomOverlay({ roots: 20, leavesPerRoot: 2, extraTunnels: 10, random: seededRandom(42) });
    expect([...a.neighbours]).toEqual([...b.neighbours]);
  });
});
