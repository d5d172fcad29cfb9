// How much of a root the canvas draws at the view's zoom: all of it; below half size a compact card (its name large,
// its status) that stays legible and costs a few elements instead of some forty; and further out, where even that is
// too small to read, a block of the root's reserved size in its status's colour and icon, in words on hover: no text to
// lay out, and a size known before React Flow measures it (rootBox.ts); pure.
import type { ReactFlowState } from '@xyflow/react';

export type Detail = 'full' | 'compact' | 'far';

/**
 * Below this zoom the card's 12–14 px lines are under 7 px on screen, too small to read: a 500-root overlay fits the
 * view at about 0.1, 40 roots at about 0.35, a handful at 1.
 */
export const COMPACT_BELOW = 0.5;

/** Below this zoom the compact card's 24–30 px lines are under 6 px on screen: 100 roots or more fit the view there. */
export const FAR_BELOW = 0.2;

export function detailAt(zoom: number): Detail {
  return zoom < FAR_BELOW ? 'far' : zoom < COMPACT_BELOW ? 'compact' : 'full';
}

/** A word, so a node redraws only when the zoom crosses a line, not on every step of a zoom or a pan. */
export const selectDetail = (s: Pick<ReactFlowState, 'transform'>) => detailAt(s.transform[2]);
