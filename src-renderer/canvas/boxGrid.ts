// A grid of boxes for asking which boxes lie near an area, without looking at every box: the tunnels' bends look at the
// roots near each tunnel, and 1,000 tunnels by 500 roots one by one took half a second per drawing; pure.
import type { Box } from './placeInView.ts';

export interface BoxGrid<T extends Box> {
  /** Every box that may overlap `area` (some that do not, never one missed). */
  near(area: Box): T[];
}

export function boxGrid<T extends Box>(boxes: readonly T[], cell: number): BoxGrid<T> {
  const cells = new Map<string, T[]>();
  const span = (from: number, size: number) => [Math.floor(from / cell), Math.floor((from + size) / cell)] as const;
  for (const box of boxes) {
    const [x0, x1] = span(box.x, box.width);
    const [y0, y1] = span(box.y, box.height);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const cell = cells.get(`${x} ${y}`);
        if (cell) cell.push(box);
        else cells.set(`${x} ${y}`, [box]);
      }
    }
  }
  return {
    near(area) {
      const found = new Set<T>();
      const [x0, x1] = span(area.x, area.width);
      const [y0, y1] = span(area.y, area.height);
      // An area far larger than the drawing would walk empty cells: then every box is as near as any.
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > cells.size * 4) return [...boxes];
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) for (const box of cells.get(`${x} ${y}`) ?? []) found.add(box);
      return [...found];
    },
  };
}
