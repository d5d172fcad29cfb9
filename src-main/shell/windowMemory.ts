// Keeps the window's place and size in the settings (electron-store, in userData) when it closes, and reads them back.
import type { BrowserWindow, Display, Rectangle } from 'electron';
import type { Placement, SavedWindow } from './windowPlacement.ts';
import { placeWindow } from './windowPlacement.ts';

/** The part of the settings store the window uses (electron-store's get and set). */
export interface WindowSettings {
  get(key: 'window'): unknown;
  set(key: 'window', value: SavedWindow): void;
}

/** Where to open the window: the saved place if one of today's displays still shows it. */
export function savedPlacement(settings: WindowSettings, displays: readonly Pick<Display, 'workArea'>[]): Placement {
  return placeWindow(settings.get('window'), displays.map((d) => d.workArea));
}

/**
 * Saves the normal bounds (not the maximized ones, so un-maximizing after the next launch gives back the size the user
 * chose) on 'close', which every way of closing goes through, quitting included.
 */
export function rememberPlacement(window: Pick<BrowserWindow, 'on' | 'getNormalBounds' | 'isMaximized'>, settings: WindowSettings): void {
  window.on('close', () => settings.set('window', { ...roundBounds(window.getNormalBounds()), maximized: window.isMaximized() }));
}

/** Bounds are whole pixels, but a display scaled by a fraction can report fractional ones. */
function roundBounds({ x, y, width, height }: Rectangle) {
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}
