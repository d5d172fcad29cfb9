// The platform's open and save dialogs for topology files, as the core's FileDialogs: attached to the window asking, JSON files first.
import type { BrowserWindow, Dialog, FileFilter } from 'electron';
import type { FileDialogs } from '../core/topologyFile/topologyFileCore.ts';

const FILTERS: FileFilter[] = [
  { name: 'Topology (JSON)', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

/** `parent`: the window the dialog belongs to (the focused one), or none when no window has focus. */
export function electronFileDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, parent: () => BrowserWindow | null): FileDialogs {
  return {
    async chooseTopologyToOpen() {
      const options = { title: 'Import a topology', properties: ['openFile' as const], filters: FILTERS };
      const window = parent();
      const chosen = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
    },
    async chooseWhereToSave(suggestedName) {
      const options = { title: 'Export the topology', defaultPath: suggestedName, filters: FILTERS, properties: ['showOverwriteConfirmation' as const] };
      const window = parent();
      const chosen = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
    },
  };
}
