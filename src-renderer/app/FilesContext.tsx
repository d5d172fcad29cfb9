// Hands the editor's way of importing and exporting topology files (Electron's dialogs or the browser's) to the component tree.
import { createContext, useContext } from 'react';
import type { TopologyFiles } from './topologyFiles.ts';

const FilesContext = createContext<TopologyFiles | null>(null);

export const FilesProvider = FilesContext.Provider;

export function useTopologyFiles(): TopologyFiles {
  const files = useContext(FilesContext);
  if (files === null) throw new Error('useTopologyFiles outside its provider');
  return files;
}
