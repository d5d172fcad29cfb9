// How much each tunnel bends so that it runs under none of the roots it does not join, where a bend can (tunnelPath.ts),
// worked out once per arrangement of the roots: a selection or a status read keeps the bends; pure but for that memo.
import type { Node } from '@xyflow/react';
import { boxGrid } from './boxGrid.ts';
import { rootBox } from './rootBox.ts';
import { clearBend } from './tunnelPath.ts';

/** About a root and its gap: a cell of the grid the bends look up roots in. */
const GRID_CELL = 300;

type Tunnel = { id: string; source: string; target: string };

export function tunnelBends(nodes: readonly Pick<Node, 'id' | 'position' | 'measured'>[], tunnels: readonly Tunnel[]): Map<string, number> {
  const boxes = new Map(nodes.map((n) => [n.id, { ...rootBox(n), id: n.id }]));
  const grid = boxGrid([...boxes.values()], GRID_CELL);
  const bends = new Map<string, number>();
  for (const { id, source, target } of tunnels) {
    const a = boxes.get(source);
    const b = boxes.get(target);
    if (!a || !b) continue;
    const from = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
    const to = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    // A loop, not `some` with a callback made per probe: the first drawing's 30,000 probes run in code not yet optimised.
    const underOther = (x: number, y: number) => {
      for (const box of grid.at(x, y)) if (box.id !== source && box.id !== target && x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height) return true;
      return false;
    };
    bends.set(id, clearBend(from, to, underOther));
  }
  return bends;
}

/**
 * `tunnelBends` remembering its last answer: the same roots in the same places and sizes with the same tunnels give it
 * back without working it out again (1,000 tunnels among 500 roots take some 20 ms).
 */
export function rememberedBends(): typeof tunnelBends {
  let last: { key: string; bends: Map<string, number> } | undefined;
  return (nodes, tunnels) => {
    const key = `${nodes.map((n) => `${n.id} ${n.position.x} ${n.position.y} ${n.measured?.width} ${n.measured?.height}`).join(',')};${tunnels.map((t) => t.id).join(',')}`;
    if (last?.key !== key) last = { key, bends: tunnelBends(nodes, tunnels) };
    return last.bends;
  };
}
