// Hands the editor store to the component tree; `useEditor(selector)` is how components read it.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { EditorState } from './editorStore.ts';

const EditorContext = createContext<StoreApi<EditorState> | null>(null);

export function EditorProvider({ store, children }: { store: StoreApi<EditorState>; children: ReactNode }) {
  return <EditorContext.Provider value={store}>{children}</EditorContext.Provider>;
}

export function useEditor<T>(selector: (state: EditorState) => T): T {
  const store = useContext(EditorContext);
  if (store === null) throw new Error('useEditor outside EditorProvider');
  return useStore(store, selector);
}
