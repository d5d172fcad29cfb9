import { describe, expect, it } from 'vitest';
import { initialViewport } from './initialViewport.ts';

const FIT = { padding: 0.1, minZoom: 0.05, maxZoom: 1.2 };
const at = (x: number, y: number) => ({ position: { x, y } });

/** React Flow's padding: the drawing takes 1 / (1 + padding) of the room (to a pixel). */
const fitted = (room: number, size: number) => room / (1 + FIT.padding) / size;

describe('initialViewport', () => {
  it('fits the roots at the reserved size (220 × 150) in the middle of the room', () => {
    // Two roots 1,780 px apart: 2,000 × 150 px of drawing in 1,000 × 800 px.
    const view = initialViewport([at(0, 0), at(1780, 0)], 1000, 800, FIT)!;
    expect(view.zoom).toBeCloseTo(fitted(1000, 2000), 2);
    expect(view.x).toBeCloseTo(500 - 1000 * view.zoom);
    expect(view.y).toBeCloseTo(400 - 75 * view.zoom);
  });

  it('takes a measured root at its measured size', () => {
    const measured = { ...at(0, 0), measured: { width: 220, height: 1500 } };
    expect(initialViewport([measured], 1000, 800, FIT)!.zoom).toBeCloseTo(fitted(800, 1500), 2);
  });

  it.each([
    ['one root', [at(0, 0)], 1.2],
    ['500 roots on a grid', Array.from({ length: 500 }, (_, i) => at((i % 28) * 300, Math.floor(i / 28) * 220)), fitted(1000, 27 * 300 + 220)],
    ['two roots far apart', [at(0, 0), at(100_000, 0)], 0.05],
  ])('keeps the zoom within bounds: %s', (_, nodes, zoom) => {
    expect(initialViewport(nodes, 1000, 800, FIT)!.zoom).toBeCloseTo(zoom, 2);
  });

  it.each([
    ['no root', [], 1000, 800],
    ['no room yet', [at(0, 0)], 0, 0],
  ])('leaves the default with %s', (_, nodes, width, height) => {
    expect(initialViewport(nodes, width, height, FIT)).toBeUndefined();
  });
});
