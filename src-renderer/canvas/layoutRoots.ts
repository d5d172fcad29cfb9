// Automatic layout of roots with elkjs: the whole drawing ("Lay out"), or only the roots that have no position yet, set
// beside the ones that have.
import type ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Topology, Tunnel } from '../../src-shared/topology/schemas.ts';
import { ROOT_SIZE } from './rootBox.ts';
import type { Point } from './tunnelPath.ts';
/** Room left between a block of newly laid-out roots and the roots already placed. */
const BLOCK_GAP = 160;

/**
 * Layered layout wrapped into rows (`MULTI_EDGE`) towards a 1.5 aspect ratio: unwrapped, a 40-root overlay came out
 * three times as wide as high, which fit view can only show as crossing lines. ELK's stress and force layouts were
 * tried: slower at 40 roots and they let roots overlap.
 */
const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.layered.wrapping.strategy': 'MULTI_EDGE',
  'elk.aspectRatio': '1.5',
  'elk.spacing.nodeNode': '60',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
};

/** Positions (top left corners) by root id. */
export type Layout = (ids: readonly number[], tunnels: readonly Tunnel[]) => Promise<Map<number, Point>>;

let elk: InstanceType<typeof ELK> | undefined;

/**
 * Lays out the roots `ids` with the tunnels among them. elkjs (1.5 MB) is loaded at the first layout, not with the
 * page: a drawing whose roots all have a place never needs it, and starting it took some 150 ms of the first paint.
 */
export const layOutWithElk: Layout = async (ids, tunnels) => {
  elk ??= new (await import('elkjs/lib/elk.bundled.js')).default();
  const inside = new Set(ids);
  const graph: ElkNode = {
    id: 'overlay',
    layoutOptions: OPTIONS,
    children: ids.map((id) => ({ id: String(id), ...ROOT_SIZE })),
    edges: tunnels.filter((t) => inside.has(t.a) && inside.has(t.b)).map((t) => ({ id: `${t.a}-${t.b}`, sources: [String(t.a)], targets: [String(t.b)] })),
  };
  const laid = await elk.layout(graph);
  return new Map((laid.children ?? []).map((c) => [Number(c.id), { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
};

/**
 * Places the roots that have no position: laid out among themselves, as one block to the right of the roots that have
 * one, its top level with theirs. Empty when every root has a position.
 */
export async function placeUnplaced(topology: Topology, layout: Layout = layOutWithElk): Promise<Map<number, Point>> {
  const unplaced = topology.roots.filter((r) => r.position === undefined).map((r) => r.id);
  if (unplaced.length === 0) return new Map();
  const laid = await layout(unplaced, topology.tunnels);
  const placed = topology.roots.flatMap((r) => (r.position ? [r.position] : []));
  if (placed.length === 0) return laid;
  const right = Math.max(...placed.map((p) => p.x)) + ROOT_SIZE.width + BLOCK_GAP;
  const top = Math.min(...placed.map((p) => p.y));
  const left = Math.min(...[...laid.values()].map((p) => p.x));
  const high = Math.min(...[...laid.values()].map((p) => p.y));
  return new Map([...laid].map(([id, p]) => [id, { x: p.x - left + right, y: p.y - high + top }]));
}
