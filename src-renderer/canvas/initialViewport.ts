// Where the view starts before React Flow has measured a root: fitted to the roots at the size the layout reserves, so
// that the first drawing is already at the level of detail the fit will show (levelOfDetail.ts) and a large overlay is
// not first drawn in full only to be drawn again compact; pure.
import { getViewportForBounds } from '@xyflow/react';
import type { Node, Viewport } from '@xyflow/react';
import { rootBox } from './rootBox.ts';

export interface FitOptions {
  padding: number;
  minZoom: number;
  maxZoom: number;
}

/** Undefined when there is no root or no room yet: React Flow's own default stands. */
export function initialViewport(nodes: readonly Pick<Node, 'position' | 'measured'>[], width: number, height: number, fit: FitOptions): Viewport | undefined {
  if (nodes.length === 0 || width <= 0 || height <= 0) return undefined;
  const boxes = nodes.map(rootBox);
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return getViewportForBounds({ x, y, width: right - x, height: bottom - y }, width, height, fit.minZoom, fit.maxZoom, fit.padding);
}
