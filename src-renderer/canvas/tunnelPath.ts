// Where a tunnel is drawn: an arc between the centres of its two roots, bent in proportion to its length, so that tunnels
// along one line (1–2, 2–3 and 1–3) nest instead of lying on top of each other, and bent further or the other way when it
// would run under another root; pure.
export interface Point {
  x: number;
  y: number;
}

/** A quadratic Bézier curve from `from` to `to` through the pull of `control`. */
export interface TunnelCurve {
  from: Point;
  control: Point;
  to: Point;
}

/**
 * How far the control point sits off the straight line, as a share of the line's length (the arc rises half of it), so
 * that a tunnel skipping a root in a row rises clear of that root instead of running under it. 0.3 is the least that
 * keeps every case of tunnelPath.test.ts apart (roots 260 px apart in a row, a column, a slope, crossings); 0.35 leaves
 * a margin, and more bends long tunnels needlessly far.
 */
export const BEND = 0.35;

/**
 * Tunnels have no direction, so each is drawn from its left end (its upper end when both have the same x): every tunnel
 * along one line then bends to the same side, the longer ones further, and none hides another.
 */
export function tunnelCurve(a: Point, b: Point, bend = BEND): TunnelCurve {
  const [from, to] = a.x < b.x || (a.x === b.x && a.y <= b.y) ? [a, b] : [b, a];
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  // The normal (dy, −dx) points up for a tunnel drawn left to right; scaled by the length it is `bend` × length long.
  return { from, to, control: { x: (from.x + to.x) / 2 + bend * dy, y: (from.y + to.y) / 2 - bend * dx } };
}

/** The bends tried in turn, the usual one first: the other side, then further out on either side. */
const BENDS = [BEND, -BEND, 2 * BEND, -2 * BEND, 3 * BEND, -3 * BEND];
const PROBES = 32;

/** Whether a point lies under a root other than the tunnel's own two. */
export type UnderRoot = (x: number, y: number) => boolean;

/**
 * The first bend whose arc from `a` to `b` runs under no root it does not join: a tunnel hidden under a root looks like
 * two tunnels ending there. The usual bend when every one does. The arc is probed point by point, so that `underRoot`
 * need only look up the roots at a point (boxGrid.ts), not every root a long arc's area covers.
 */
export function clearBend(a: Point, b: Point, underRoot: UnderRoot): number {
  return (
    BENDS.find((bend) => {
      const curve = tunnelCurve(a, b, bend);
      for (let i = 1; i < PROBES; i++) {
        const p = pointOnCurve(curve, i / PROBES);
        if (underRoot(p.x, p.y)) return false;
      }
      return true;
    }) ?? BEND
  );
}

export function pointOnCurve({ from, control, to }: TunnelCurve, t: number): Point {
  const u = 1 - t;
  return { x: u * u * from.x + 2 * u * t * control.x + t * t * to.x, y: u * u * from.y + 2 * u * t * control.y + t * t * to.y };
}

/** The SVG path of the curve. */
export function curvePath({ from, control, to }: TunnelCurve): string {
  return `M ${from.x},${from.y} Q ${control.x},${control.y} ${to.x},${to.y}`;
}
