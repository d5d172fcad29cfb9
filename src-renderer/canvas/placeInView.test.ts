import { describe, expect, it } from 'vitest';
import type { Box } from './placeInView.ts';
import { placeInView } from './placeInView.ts';

const size = { width: 220, height: 150 };
/** A canvas of 1000 × 800 px showing flow point (0, 0) at its top left, at zoom 1. */
const view = { width: 1000, height: 800, x: 0, y: 0, zoom: 1 };
const inViewOf = (v: typeof view, p: { x: number; y: number }) =>
  p.x * v.zoom + v.x >= 0 && (p.x + size.width) * v.zoom + v.x <= v.width && p.y * v.zoom + v.y >= 0 && (p.y + size.height) * v.zoom + v.y <= v.height;

describe('placeInView', () => {
  it('centres the root in what the canvas shows, panned and zoomed', () => {
    expect(placeInView(view, size, [])).toEqual({ x: 390, y: 325 });
    expect(placeInView({ ...view, x: -2000, y: 300, zoom: 0.5 }, size, [])).toEqual({ x: (500 + 2000) / 0.5 - 110, y: (400 - 300) / 0.5 - 75 });
  });

  it('moves to the nearest free spot when roots are in the middle, and stays in view', () => {
    const middle: Box = { x: 390, y: 325, ...size };
    const first = placeInView(view, size, [middle]);
    expect(first).not.toEqual({ x: 390, y: 325 });
    expect(inViewOf(view, first)).toBe(true);
    const second = placeInView(view, size, [middle, { ...first, ...size }]);
    expect([first, { x: 390, y: 325 }]).not.toContainEqual(second);
    expect(inViewOf(view, second)).toBe(true);
  });

  it('places the third new root of a session in view, not where the first two went', () => {
    const taken: Box[] = [];
    for (let i = 0; i < 3; i++) taken.push({ ...placeInView(view, size, taken), ...size });
    expect(new Set(taken.map((b) => `${b.x},${b.y}`)).size).toBe(3);
    expect(taken.every((b) => inViewOf(view, b))).toBe(true);
  });
});
