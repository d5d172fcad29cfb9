// Where the window opens: the place and size it had when it last closed, if that place is still on a display.
import { z } from 'zod';

/** What is kept of the window between launches (its normal bounds, and whether it was maximized). */
export const SavedWindowSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
});
export type SavedWindow = z.output<typeof SavedWindowSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Placement {
  /** Without x and y, Electron centres the window on the primary display. */
  bounds: { width: number; height: number; x?: number; y?: number };
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;

/** The window's top strip, where its title bar is: enough of it must be on a display to be grabbed and moved. */
const TITLE_BAR = 32;
const GRABBABLE_WIDTH = 100;

/**
 * Restores the saved bounds only when the title bar lies on one of the displays' work areas (a display unplugged or
 * rearranged since would otherwise open the window out of reach), shrunk to fit that work area. Anything else gets
 * the default size where Electron puts it. Maximized is kept either way: a maximized window fills whatever display
 * it opens on.
 */
export function placeWindow(saved: unknown, workAreas: readonly Rect[]): Placement {
  const parsed = SavedWindowSchema.safeParse(saved);
  if (!parsed.success) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const { maximized, ...bounds } = parsed.data;
  const area = workAreas.find((a) => holdsTitleBar(a, bounds));
  if (area === undefined) return { bounds: { ...DEFAULT_SIZE }, maximized };
  return { bounds: { x: bounds.x, y: bounds.y, width: Math.min(bounds.width, area.width), height: Math.min(bounds.height, area.height) }, maximized };
}

function holdsTitleBar(area: Rect, window: Rect): boolean {
  const barHeight = Math.min(TITLE_BAR, window.height);
  const fitsVertically = window.y >= area.y && window.y + barHeight <= area.y + area.height;
  const overlap = Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x);
  return fitsVertically && overlap >= Math.min(GRABBABLE_WIDTH, window.width);
}
