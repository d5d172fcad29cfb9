// A grid of boxes for asking which boxes may hold a point, without looking at every box: the tunnels' bends probe each
// arc point by point for the roots under it, and 1,000 tunnels by 500 roots one by one took half a second; pure.
import type { Box } from './placeInView.ts';

export interface BoxGrid<T extends Box> {
  /** Every box that may hold the point (some that do not, never one missed). */
  at(x: number, y: number): readonly T[];
}

const NONE: readonly never[] = [];

/** The cells are one array over the boxes' extent, each listing every box that overlaps it; a point outside has none. */
export function boxGrid<T extends Box>(boxes: readonly T[], cell: number): BoxGrid<T> {
  if (boxes.length === 0) return { at: () => NONE };
  const at = (v: number) => Math.floor(v / cell);
  const left = Math.min(...boxes.map((b) => at(b.x)));
  const top = Math.min(...boxes.map((b) => at(b.y)));
  const columns = Math.max(...boxes.map((b) => at(b.x + b.width))) - left + 1;
  const rows = Math.max(...boxes.map((b) => at(b.y + b.height))) - top + 1;
  const cells: T[][] = Array.from({ length: columns * rows }, () => []);
  for (const box of boxes) {
    for (let x = at(box.x); x <= at(box.x + box.width); x++) for (let y = at(box.y); y <= at(box.y + box.height); y++) cells[(y - top) * columns + (x - left)]!.push(box);
  }
  return {
    at(x, y) {
      const column = at(x) - left;
      const row = at(y) - top;
      return column < 0 || column >= columns || row < 0 || row >= rows ? NONE : cells[row * columns + column]!;
    },
  };
}
