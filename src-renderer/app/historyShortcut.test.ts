import { describe, expect, it } from 'vitest';
import { historyShortcut } from './historyShortcut.ts';

const press = (key: string, keys: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key,
  ctrlKey: keys.ctrl ?? false,
  metaKey: keys.meta ?? false,
  shiftKey: keys.shift ?? false,
  altKey: keys.alt ?? false,
});

describe('historyShortcut', () => {
  it.each([
    { what: 'Ctrl+Z', at: press('z', { ctrl: true }), want: 'undo' },
    { what: '⌘Z', at: press('z', { meta: true }), want: 'undo' },
    { what: 'Ctrl+Shift+Z', at: press('Z', { ctrl: true, shift: true }), want: 'redo' },
    { what: '⇧⌘Z', at: press('z', { meta: true, shift: true }), want: 'redo' },
    { what: 'Ctrl+Y', at: press('y', { ctrl: true }), want: 'redo' },
    { what: '⌘Y', at: press('y', { meta: true }), want: null },
    { what: 'Ctrl+Shift+Y', at: press('Y', { ctrl: true, shift: true }), want: null },
    { what: 'Z alone', at: press('z'), want: null },
    { what: 'Ctrl+⌘+Z', at: press('z', { ctrl: true, meta: true }), want: null },
    { what: 'Ctrl+Alt+Z', at: press('z', { ctrl: true, alt: true }), want: null },
    { what: 'Ctrl+S', at: press('s', { ctrl: true }), want: null },
  ])('$what asks for $want', ({ at, want }) => {
    expect(historyShortcut(at, false)).toBe(want);
  });

  it('leaves every key to a text field, which has an undo of its own', () => {
    expect(historyShortcut(press('z', { ctrl: true }), true)).toBeNull();
    expect(historyShortcut(press('y', { ctrl: true }), true)).toBeNull();
  });
});
