import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, placeWindow } from './windowPlacement.ts';

// A laptop screen with a taskbar at the bottom, and a larger monitor to its right.
const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const monitor = { x: 1440, y: -200, width: 2560, height: 1400 };
const both = [laptop, monitor];
const saved = (x: number, y: number, width = 1000, height = 700, maximized = false) => ({ x, y, width, height, maximized });

describe('placeWindow', () => {
  it.each([
    { what: 'nothing saved', stored: undefined, want: { bounds: DEFAULT_SIZE, maximized: false } },
    { what: 'not an object', stored: 'big', want: { bounds: DEFAULT_SIZE, maximized: false } },
    { what: 'a size of zero', stored: saved(10, 10, 0, 700), want: { bounds: DEFAULT_SIZE, maximized: false } },
    { what: 'maximized missing', stored: { x: 10, y: 10, width: 900, height: 600 }, want: { bounds: DEFAULT_SIZE, maximized: false } },
    { what: 'fractional pixels', stored: saved(10.5, 10), want: { bounds: DEFAULT_SIZE, maximized: false } },
  ])('opens at the default size with $what', ({ stored, want }) => {
    expect(placeWindow(stored, both)).toEqual(want);
  });

  it.each([
    { what: 'on the laptop', stored: saved(100, 50), want: { x: 100, y: 50, width: 1000, height: 700 } },
    { what: 'on the monitor, above the laptop’s top', stored: saved(2000, -150), want: { x: 2000, y: -150, width: 1000, height: 700 } },
    { what: 'straddling the two displays', stored: saved(1000, 100), want: { x: 1000, y: 100, width: 1000, height: 700 } },
    { what: 'hanging off the right with its title bar still grabbable', stored: saved(3900, 100), want: { x: 3900, y: 100, width: 1000, height: 700 } },
    { what: 'taller than the laptop, shrunk to it', stored: saved(0, 0, 1200, 2000), want: { x: 0, y: 0, width: 1200, height: 860 } },
    { what: 'smaller than a title bar', stored: saved(10, 840, 50, 20), want: { x: 10, y: 840, width: 50, height: 20 } },
  ])('restores the saved bounds $what', ({ stored, want }) => {
    expect(placeWindow(stored, both)).toEqual({ bounds: want, maximized: false });
  });

  it.each([
    { what: 'the monitor unplugged', stored: saved(2000, 100), areas: [laptop] },
    { what: 'the title bar above every display', stored: saved(100, -20), areas: both },
    { what: 'the title bar below the laptop’s work area (behind the taskbar)', stored: saved(100, 840), areas: both },
    { what: 'only 99 px of the title bar on a display', stored: saved(-901, 100), areas: both },
    { what: 'no display at all', stored: saved(100, 50), areas: [] },
  ])('opens at the default size, not where it was, with $what', ({ stored, areas }) => {
    expect(placeWindow(stored, areas)).toEqual({ bounds: DEFAULT_SIZE, maximized: false });
  });

  it('takes 100 px of title bar on a display as enough', () => {
    expect(placeWindow(saved(-900, 100), both).bounds).toEqual({ x: -900, y: 100, width: 1000, height: 700 });
  });

  it.each([
    { what: 'on a display', stored: saved(100, 50, 1000, 700, true), want: { x: 100, y: 50, width: 1000, height: 700 } },
    { what: 'off every display', stored: saved(9000, 50, 1000, 700, true), want: DEFAULT_SIZE },
  ])('keeps a maximized window maximized $what', ({ stored, want }) => {
    expect(placeWindow(stored, both)).toEqual({ bounds: want, maximized: true });
  });
});
