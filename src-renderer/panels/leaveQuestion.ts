// What leaving a root's form with an unsaved edit asks: which fields would be lost, and whether they could be saved as they are; pure.
import type { DraftRoot } from '../store/edits.ts';
import type { RootField } from '../store/fieldProblems.ts';

const FIELD_WORDS: Record<RootField, string> = { name: 'name', internetAddress: 'internet address', overlay: 'overlay', maxClients: 'max clients', cloud: 'cloud' };

export function leaveQuestion(root: DraftRoot, isNew: boolean, edit: { changed: readonly RootField[]; invalid: boolean }): { title: string; message: string; confirmLabel: string } {
  const what = isNew ? 'the new root' : root.name;
  const fields = edit.changed.map((f) => FIELD_WORDS[f]).join(', ');
  const state = edit.invalid ? 'not saved, and have problems to fix before they can be' : 'not saved yet';
  return {
    title: `Discard your changes to ${what}?`,
    message: `Your changes to the ${fields} of ${what} are ${state}. Discard them, or keep editing?`,
    confirmLabel: 'Discard changes',
  };
}
