// Selectors of the editor store, declared once at module scope so React compares stable functions and zustand returns stable values.
import type { EditorState } from './editorStore.ts';

export const selectActions = (s: EditorState) => s.actions;
export const selectServer = (s: EditorState) => s.server;
export const selectTopology = (s: EditorState) => s.server?.topology;
export const selectPlan = (s: EditorState) => s.server?.plan;
export const selectCanUndo = (s: EditorState) => s.server?.canUndo ?? false;
export const selectCanRedo = (s: EditorState) => s.server?.canRedo ?? false;
export const selectChanges = (s: EditorState) => s.server?.changes;
export const selectRecovery = (s: EditorState) => s.server?.recovery ?? null;
export const selectStoredIn = (s: EditorState) => s.server?.storedIn;
export const selectSelection = (s: EditorState) => s.selection;
export const selectRefusal = (s: EditorState) => s.refusal;
export const selectFailure = (s: EditorState) => s.failure;
export const selectDeploySummary = (s: EditorState) => s.deploySummary;
export const selectNodes = (s: EditorState) => s.nodes;
export const selectEdges = (s: EditorState) => s.edges;
export const selectFitRequest = (s: EditorState) => s.fitRequest;
