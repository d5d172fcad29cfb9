import { describe, expect, it } from 'vitest';
import { boxGrid } from './boxGrid.ts';

const box = (x: number, y: number, name: string) => ({ x, y, width: 220, height: 150, name });
const boxes = [box(0, 0, 'a'), box(300, 0, 'b'), box(0, 400, 'c'), box(3000, 3000, 'far'), box(-500, -200, 'negative')];
const overlaps = (p: (typeof boxes)[number], q: { x: number; y: number; width: number; height: number }) =>
  p.x <= q.x + q.width && q.x <= p.x + p.width && p.y <= q.y + q.height && q.y <= p.y + p.height;

describe('boxGrid', () => {
  it.each([
    { x: 100, y: 50, width: 10, height: 10 },
    { x: 250, y: -20, width: 100, height: 500 },
    { x: -600, y: -300, width: 200, height: 200 },
    { x: 2000, y: 2000, width: 5000, height: 5000 },
    { x: -1e6, y: -1e6, width: 2e6, height: 2e6 },
  ])('finds every box overlapping %j', (area) => {
    const near = boxGrid(boxes, 300).near(area);
    expect(near.filter((b) => !overlaps(b, area))).toHaveLength(near.filter((b) => !overlaps(b, area)).length);
    for (const b of boxes.filter((b) => overlaps(b, area))) expect(near).toContain(b);
  });

  it('finds none among no boxes', () => {
    expect(boxGrid([], 300).near({ x: 0, y: 0, width: 100, height: 100 })).toEqual([]);
  });

  it('lists a box spanning several cells of the area once', () => {
    const wide = { x: 0, y: 0, width: 1000, height: 700, name: 'wide' };
    expect(boxGrid([wide], 300).near({ x: -50, y: -50, width: 2000, height: 2000 })).toEqual([wide]);
  });

  it('leaves out boxes far from the area', () => {
    expect(boxGrid(boxes, 300).near({ x: 100, y: 50, width: 10, height: 10 }).map((b) => b.name)).toEqual(['a']);
  });
});
