// What a key press asks of the selection: Delete (or Backspace, as on a Mac keyboard) deletes it after asking, Escape lets go of it; pure.
import type { KeyPress } from './historyShortcut.ts';

/**
 * `inTextField`: the keys edit the text there (Escape still lets go, as it leaves the form); `inDialog`: the dialog
 * answers its own keys.
 */
export function selectionShortcut(press: KeyPress, inTextField: boolean, inDialog: boolean): 'delete' | 'deselect' | null {
  if (inDialog || press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === 'Escape') return 'deselect';
  if ((press.key === 'Delete' || press.key === 'Backspace') && !inTextField) return 'delete';
  return null;
}

/** Whether a key event comes from inside a modal dialog. */
export function isInDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[aria-modal="true"]') !== null;
}
