// Where a new root goes: in the middle of what the canvas shows, moved to the nearest free spot when a root is there; pure.
import type { Point } from './tunnelPath.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The canvas's size in screen pixels and its transform: flow point p shows at p × zoom + (x, y). */
export interface View {
  width: number;
  height: number;
  x: number;
  y: number;
  zoom: number;
}

const GAP = 40;
const RINGS = 6;

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

/**
 * The top left corner for a root of `size` centred in the view; when it would touch a root in `taken`, the nearest free
 * spot on rings of spots around the centre, one root's size (and a gap) apart; the centre itself when all of them are taken.
 */
export function placeInView(view: View, size: { width: number; height: number }, taken: readonly Box[]): Point {
  const centre = { x: (view.width / 2 - view.x) / view.zoom - size.width / 2, y: (view.height / 2 - view.y) / view.zoom - size.height / 2 };
  const stepX = size.width + GAP;
  const stepY = size.height + GAP;
  for (let ring = 0; ring <= RINGS; ring++) {
    const spots: Point[] = [];
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) === ring) spots.push({ x: centre.x + i * stepX, y: centre.y + j * stepY });
      }
    }
    spots.sort((p, q) => Math.hypot(p.x - centre.x, p.y - centre.y) - Math.hypot(q.x - centre.x, q.y - centre.y));
    const free = spots.find((p) => !taken.some((box) => overlaps({ ...p, ...size }, box)));
    if (free) return { x: Math.round(free.x), y: Math.round(free.y) };
  }
  return { x: Math.round(centre.x), y: Math.round(centre.y) };
}
