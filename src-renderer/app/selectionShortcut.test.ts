import { describe, expect, it } from 'vitest';
import { selectionShortcut } from './selectionShortcut.ts';

const press = (key: string, keys: { ctrl?: boolean; meta?: boolean; alt?: boolean } = {}) => ({ key, ctrlKey: keys.ctrl ?? false, metaKey: keys.meta ?? false, shiftKey: false, altKey: keys.alt ?? false });

describe('selectionShortcut', () => {
  it.each([
    { what: 'Delete', at: press('Delete'), inText: false, want: 'delete' },
    { what: 'Backspace', at: press('Backspace'), inText: false, want: 'delete' },
    { what: 'Delete in a text field', at: press('Delete'), inText: true, want: null },
    { what: 'Escape', at: press('Escape'), inText: false, want: 'deselect' },
    { what: 'Escape in a text field', at: press('Escape'), inText: true, want: 'deselect' },
    { what: 'Ctrl+Delete', at: press('Delete', { ctrl: true }), inText: false, want: null },
    { what: '⌘Backspace', at: press('Backspace', { meta: true }), inText: false, want: null },
    { what: 'a letter', at: press('d'), inText: false, want: null },
  ])('$what asks for $want', ({ at, inText, want }) => {
    expect(selectionShortcut(at, inText, false)).toBe(want);
  });

  it('leaves every key to an open dialog', () => {
    expect(selectionShortcut(press('Escape'), false, true)).toBeNull();
    expect(selectionShortcut(press('Delete'), false, true)).toBeNull();
  });
});
