// Hands the editor store to the component tree; `useEditor(selector)` is how components read it.
import type { EditorState } from './editorStore.ts';
import { createStoreContext } from './storeContext.tsx';

const context = createStoreContext<EditorState>('useEditor');

export const EditorProvider = context.Provider;
export const useEditor = context.use;

