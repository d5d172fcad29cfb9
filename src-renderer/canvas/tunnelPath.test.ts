import { describe, expect, it } from 'vitest';
import type { Point, TunnelCurve } from './tunnelPath.ts';
import { BEND, clearBend, curvePath, pointOnCurve, tunnelCurve } from './tunnelPath.ts';

/** A root as the canvas draws it (ROOT_SIZE in rootBox.ts), by its centre. */
const SIZE = { width: 220, height: 150 };
const SAMPLES = 400;

const inside = (p: Point, centre: Point) => Math.abs(p.x - centre.x) < SIZE.width / 2 && Math.abs(p.y - centre.y) < SIZE.height / 2;
const sample = (curve: TunnelCurve) => Array.from({ length: SAMPLES + 1 }, (_, i) => pointOnCurve(curve, i / SAMPLES));
const distance = (p: Point, points: Point[]) => Math.min(...points.map((q) => Math.hypot(p.x - q.x, p.y - q.y)));

/**
 * How much of each tunnel can be seen as its own line: its length outside every root (tunnels run under the roots) and
 * at least `apart` px from every other tunnel.
 */
function ownLengths(centres: Point[], tunnels: [number, number][], apart = 10): number[] {
  const curves = tunnels.map(([a, b]) => sample(tunnelCurve(centres[a]!, centres[b]!)));
  return curves.map((points, i) => {
    const others = curves.filter((_, j) => j !== i);
    let length = 0;
    for (let k = 1; k < points.length; k++) {
      const p = points[k]!;
      const seen = !centres.some((c) => inside(p, c)) && others.every((o) => distance(p, o) >= apart);
      if (seen) length += Math.hypot(p.x - points[k - 1]!.x, p.y - points[k - 1]!.y);
    }
    return Math.round(length);
  });
}

describe('tunnelCurve', () => {
  it.each([
    { what: 'three roots in a row, each joined to each (the 1–3 over 1–2 and 2–3 bug)', centres: [{ x: 0, y: 0 }, { x: 260, y: 0 }, { x: 520, y: 0 }], tunnels: [[0, 1], [1, 2], [0, 2]] },
    { what: 'the same row drawn right to left', centres: [{ x: 520, y: 0 }, { x: 260, y: 0 }, { x: 0, y: 0 }], tunnels: [[1, 0], [2, 1], [2, 0]] },
    { what: 'three roots in a column', centres: [{ x: 0, y: 0 }, { x: 0, y: 200 }, { x: 0, y: 400 }], tunnels: [[0, 1], [1, 2], [0, 2]] },
    { what: 'four in a row, every pair joined', centres: [0, 1, 2, 3].map((i) => ({ x: 260 * i, y: 0 })), tunnels: [[0, 1], [1, 2], [2, 3], [0, 2], [1, 3], [0, 3]] },
    { what: 'three on a slope', centres: [{ x: 0, y: 0 }, { x: 260, y: 180 }, { x: 520, y: 360 }], tunnels: [[0, 1], [1, 2], [0, 2]] },
    { what: 'a square with both diagonals (crossing tunnels)', centres: [{ x: 0, y: 0 }, { x: 400, y: 0 }, { x: 0, y: 300 }, { x: 400, y: 300 }], tunnels: [[0, 1], [0, 2], [1, 3], [2, 3], [0, 3], [1, 2]] },
  ] as { what: string; centres: Point[]; tunnels: [number, number][] }[])('$what: every tunnel shows at least 30 px of its own', ({ centres, tunnels }) => {
    const lengths = ownLengths(centres, tunnels);
    expect(lengths.filter((l) => l < 30), `own lengths ${lengths.join(', ')}`).toEqual([]);
  });

  it('would show two tunnels for three along a row if drawn straight (the check can fail)', () => {
    const centres = [{ x: 0, y: 0 }, { x: 260, y: 0 }, { x: 520, y: 0 }];
    const straight = (a: Point, b: Point): TunnelCurve => ({ from: a, to: b, control: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } });
    const curves = [straight(centres[0]!, centres[1]!), straight(centres[1]!, centres[2]!), straight(centres[0]!, centres[2]!)].map(sample);
    const ownOf13 = curves[2]!.filter((p) => !centres.some((c) => inside(p, c)) && distance(p, [...curves[0]!, ...curves[1]!]) >= 10);
    expect(ownOf13).toEqual([]);
  });

  it('is the same curve whichever end is named first, and ends at both centres', () => {
    const a = { x: 10, y: 20 };
    const b = { x: 300, y: -40 };
    expect(tunnelCurve(a, b)).toEqual(tunnelCurve(b, a));
    expect(pointOnCurve(tunnelCurve(a, b), 0)).toEqual(a);
    expect(pointOnCurve(tunnelCurve(a, b), 1)).toEqual(b);
    expect(curvePath(tunnelCurve(a, b))).toMatch(/^M 10,20 Q [-\d.]+,[-\d.]+ 300,-40$/);
  });
});

describe('clearBend', () => {
  const under = (curve: TunnelCurve, c: Point) => sample(curve).slice(1, -1).some((p) => inside(p, c));
  /** What the canvas asks of the roots a tunnel does not join: whether a point lies under one of them. */
  const underAny = (centres: Point[]) => (x: number, y: number) => centres.some((c) => inside({ x, y }, c));

  it('keeps the usual bend when no root is in the way', () => {
    expect(clearBend({ x: 0, y: 0 }, { x: 260, y: 0 }, underAny([{ x: 130, y: 400 }]))).toBe(BEND);
  });

  it.each([
    { what: 'a root midway in a column (beta–gamma past alpha)', a: { x: 0, y: 0 }, b: { x: 0, y: 500 }, middle: { x: 0, y: 250 } },
    { what: 'a root midway in a row', a: { x: 0, y: 0 }, b: { x: 400, y: 0 }, middle: { x: 200, y: 0 } },
    { what: 'a root just off the line, on the side the arc bends to', a: { x: 0, y: 0 }, b: { x: 700, y: 0 }, middle: { x: 350, y: -60 } },
  ])('bends clear of $what', ({ a, b, middle }) => {
    expect(under(tunnelCurve(a, b), middle)).toBe(true);
    const bend = clearBend(a, b, underAny([middle]));
    expect(under(tunnelCurve(a, b, bend), middle)).toBe(false);
  });
});
