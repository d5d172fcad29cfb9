import { describe, expect, it } from 'vitest';
import type { WindowSettings } from './windowMemory.ts';
import { rememberPlacement, savedPlacement } from './windowMemory.ts';

/** Stands in for electron-store: one value per key, in memory. */
function fakeSettings(initial?: unknown): WindowSettings & { stored: unknown } {
  const settings = {
    stored: initial,
    get: () => settings.stored,
    set: (_key: 'window', value: unknown) => void (settings.stored = value),
  };
  return settings;
}

/** Stands in for a BrowserWindow: its normal bounds, whether it is maximized, and its 'close' listeners. */
function fakeWindow(normal: { x: number; y: number; width: number; height: number }, maximized: boolean) {
  const closeListeners: Array<() => void> = [];
  return {
    window: {
      on: (event: string, listener: () => void) => (event === 'close' && closeListeners.push(listener), undefined),
      getNormalBounds: () => normal,
      isMaximized: () => maximized,
    } as never,
    close: () => closeListeners.forEach((listener) => listener()),
  };
}

const display = (x: number, y: number, width: number, height: number) => ({ workArea: { x, y, width, height } });

describe('the window remembered', () => {
  it('saves nothing until the window closes, then its normal bounds, rounded, and whether it was maximized', () => {
    const settings = fakeSettings();
    const { window, close } = fakeWindow({ x: 120.4, y: 80.6, width: 1100, height: 720 }, true);
    rememberPlacement(window, settings);
    expect(settings.stored).toBeUndefined();
    close();
    expect(settings.stored).toEqual({ x: 120, y: 81, width: 1100, height: 720, maximized: true });
  });

  it('opens where it closed, on the displays of the next launch', () => {
    const settings = fakeSettings();
    const { window, close } = fakeWindow({ x: 2000, y: 100, width: 900, height: 600 }, false);
    rememberPlacement(window, settings);
    close();
    expect(savedPlacement(settings, [display(0, 0, 1920, 1050), display(1920, 0, 1920, 1050)])).toEqual({ bounds: { x: 2000, y: 100, width: 900, height: 600 }, maximized: false });
    expect(savedPlacement(settings, [display(0, 0, 1920, 1050)])).toEqual({ bounds: { width: 1280, height: 800 }, maximized: false });
  });
});
