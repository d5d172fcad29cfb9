// A grid of boxes for asking which boxes lie near an area, without looking at every box: the tunnels' bends look at the
// roots near each tunnel, and 1,000 tunnels by 500 roots one by one took half a second per drawing; pure.
import type { Box } from './placeInView.ts';

export interface BoxGrid<T extends Box> {
  /** Every box that may overlap `area` (some that do not, never one missed). */
  near(area: Box): T[];
}

/**
 * The cells are one array over the drawing's extent, and an area is cut to that extent first: a long tunnel's area
 * reaches far past the drawing, and string keys with a Set per question made `near` half of the bends' time.
 */
export function boxGrid<T extends Box>(boxes: readonly T[], cell: number): BoxGrid<T> {
  const at = (v: number) => Math.floor(v / cell);
  const left = Math.min(...boxes.map((b) => at(b.x)));
  const top = Math.min(...boxes.map((b) => at(b.y)));
  const columns = Math.max(...boxes.map((b) => at(b.x + b.width))) - left + 1;
  const rows = Math.max(...boxes.map((b) => at(b.y + b.height))) - top + 1;
  const cells: number[][] = Array.from({ length: boxes.length === 0 ? 0 : columns * rows }, () => []);
  boxes.forEach((box, i) => {
    for (let x = at(box.x); x <= at(box.x + box.width); x++) for (let y = at(box.y); y <= at(box.y + box.height); y++) cells[(y - top) * columns + (x - left)]!.push(i);
  });
  // The question each box was last found for, so that a box in several cells is listed once without a Set.
  const seenIn = new Int32Array(boxes.length).fill(-1);
  let question = 0;
  return {
    near(area) {
      if (boxes.length === 0) return [];
      question++;
      const found: T[] = [];
      const [x0, x1] = [Math.max(at(area.x), left), Math.min(at(area.x + area.width), left + columns - 1)];
      const [y0, y1] = [Math.max(at(area.y), top), Math.min(at(area.y + area.height), top + rows - 1)];
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          for (const i of cells[(y - top) * columns + (x - left)]!) {
            if (seenIn[i] === question) continue;
            seenIn[i] = question;
            found.push(boxes[i]!);
          }
        }
      }
      return found;
    },
  };
}
