// How much of a root the canvas draws at the view's zoom: all of it, or below half size a compact card (its name large,
// its status) that stays legible and costs a few elements instead of some forty; pure.
import type { ReactFlowState } from '@xyflow/react';

/**
 * Below this zoom the card's 12–14 px lines are under 7 px on screen, too small to read: a 500-root overlay fits the
 * view at about 0.1, 40 roots at about 0.35, a handful at 1.
 */
export const COMPACT_BELOW = 0.5;

/** A boolean, so a node redraws only when the zoom crosses the line, not on every step of a zoom or a pan. */
export const selectCompact = (s: Pick<ReactFlowState, 'transform'>) => s.transform[2] < COMPACT_BELOW;
