import { describe, expect, it } from 'vitest';
import { boxGrid } from './boxGrid.ts';

const box = (x: number, y: number, name: string) => ({ x, y, width: 220, height: 150, name });
const boxes = [box(0, 0, 'a'), box(300, 0, 'b'), box(0, 400, 'c'), box(3000, 3000, 'far'), box(-500, -200, 'negative'), box(100, 50, 'over-a')];
const holds = (b: (typeof boxes)[number], x: number, y: number) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;

describe('boxGrid', () => {
  it.each([
    { x: 110, y: 60, holding: ['a', 'over-a'] },
    { x: 310, y: 60, holding: ['b', 'over-a'] },
    { x: 0, y: 0, holding: ['a'] },
    { x: -400, y: -100, holding: ['negative'] },
    { x: 3220, y: 3150, holding: ['far'] },
    { x: 1500, y: 1500, holding: [] },
  ])('finds every box holding ($x, $y)', ({ x, y, holding }) => {
    const found = boxGrid(boxes, 300).at(x, y);
    expect(boxes.filter((b) => holds(b, x, y)).map((b) => b.name)).toEqual(holding);
    for (const b of boxes.filter((b) => holds(b, x, y))) expect(found).toContain(b);
  });

  it('finds none among no boxes', () => {
    expect(boxGrid([], 300).at(0, 0)).toEqual([]);
  });

  it('finds none outside the boxes’ extent', () => {
    for (const [x, y] of [[-1e6, 0], [0, 1e6], [4000, 4000], [-900, -900]] as const) expect(boxGrid(boxes, 300).at(x, y)).toEqual([]);
  });

  it('lists a box spanning several cells once in each', () => {
    const wide = { x: 0, y: 0, width: 1000, height: 700, name: 'wide' };
    for (const [x, y] of [[10, 10], [950, 650], [500, 350]] as const) expect(boxGrid([wide], 300).at(x, y)).toEqual([wide]);
  });

  it('leaves out boxes far from the point', () => {
    expect(boxGrid(boxes, 300).at(100, 50).map((b) => b.name)).toEqual(['a', 'over-a']);
  });
});
