// The editor's state: the pending topology as main last reported it, the selection, the last refused change, and the canvas's nodes and edges (deleted ones too).
import { applyNodeChanges } from '@xyflow/react';
import type { NodeChange } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Api, ChangeResult, Problem, TopologyCommand, TopologyState } from '../../src-shared/contract/contract.ts';
import type { DraftRoot } from './edits.ts';
import type { RootNode, TunnelEdge } from '../canvas/toFlow.ts';
import { toRootNodes, toTunnelEdges } from '../canvas/toFlow.ts';
import { summarizeDiff } from './summarizeDiff.ts';

export type Selection =
  | { kind: 'none' }
  | { kind: 'root'; id: number }
  | { kind: 'tunnel'; a: number; b: number }
  /** The "add root" form, started from a suggestion; nothing is stored until it is saved. */
  | { kind: 'new-root'; draft: DraftRoot };

/** A change main refused: the banner line and the problems, with paths into the refused candidate. */
export interface Refusal {
  reason: string;
  problems: Problem[];
}

export interface EditorActions {
  /** Fetches the pending topology; call once at start and after reconnecting. */
  load(): Promise<void>;
  /** A state main sent without being asked: kept only when newer than the one shown. */
  receiveEvent(state: TopologyState): void;
  select(selection: Selection): void;
  /**
   * Asks main to make one edit; true when made, false when refused (see `refusal`) or failed (see
   * `failure`). `selectAfter` replaces the selection once made (a new root, nothing after a delete).
   */
  command(command: TopologyCommand, selectAfter?: Selection): Promise<boolean>;
  /** Adds the tunnel a–b and selects it; main refuses a duplicate or a loop. */
  connect(a: number, b: number): Promise<boolean>;
  open(path: string): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Drops every pending change, back to the deployed topology (undo brings them back); true when done. */
  cancelChanges(): Promise<boolean>;
  /** React Flow's node changes: dragging and measuring. Selection and removal go through the panel instead. */
  changeNodes(changes: NodeChange<RootNode>[]): void;
  /** Stores where a root was dropped. */
  dropRoot(id: number, position: { x: number; y: number }): Promise<void>;
}

export interface EditorState {
  server: TopologyState | null;
  selection: Selection;
  refusal: Refusal | null;
  /** A call that failed as a call (connection lost, main broken), as one line. */
  failure: string | null;
  /** What a deploy would change, as one line. */
  deploySummary: string | null;
  nodes: RootNode[];
  edges: TunnelEdge[];
  actions: EditorActions;
}

const NONE: Selection = { kind: 'none' };

/** The calls the editor makes: the topology's. */
export type TopologyApi = Pick<Api, 'topology.get' | 'topology.command' | 'topology.open' | 'topology.undo' | 'topology.redo' | 'topology.cancelChanges' | 'topology.diff'>;

export function createEditorStore(api: TopologyApi): StoreApi<EditorState> {
  const store = createStore<EditorState>()((set, get) => {
    /** Nodes and edges follow the server state and the selection; nothing else changes them but dragging. */
    const drawn = (server: TopologyState | null, selection: Selection, previous: RootNode[]) => {
      if (server === null) return { nodes: [], edges: [] };
      const deleted = { roots: server.changes.roots.deleted, tunnels: server.changes.tunnels.deleted };
      return {
        nodes: toRootNodes(server.topology, server.plan, selection.kind === 'root' ? selection.id : null, previous, deleted),
        edges: toTunnelEdges(server.topology, selection.kind === 'tunnel' ? selection : null, deleted),
      };
    };
    const stillThere = (selection: Selection, server: TopologyState): Selection => {
      const ids = new Set(server.topology.roots.map((r) => r.id));
      if (selection.kind === 'root' && !ids.has(selection.id)) return NONE;
      if (selection.kind === 'tunnel' && !server.topology.tunnels.some((t) => (t.a === selection.a && t.b === selection.b) || (t.a === selection.b && t.b === selection.a))) return NONE;
      return selection;
    };
    const show = (server: TopologyState, selection = get().selection) => {
      const kept = stillThere(selection, server);
      set({ server, selection: kept, failure: null, ...drawn(server, kept, get().nodes) });
      void refreshDeploySummary();
    };
    const refreshDeploySummary = async () => {
      const revision = get().server?.revision;
      const result = await attempt(() => api['topology.diff']());
      if (result && get().server?.revision === revision) set({ deploySummary: summarizeDiff(result.diff) });
    };
    /** Runs a call; a failure becomes the `failure` line instead of an exception in a click handler. */
    const attempt = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await call();
      } catch (error) {
        set({ failure: error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    };
    const change = async (call: () => Promise<ChangeResult>, selectAfter?: Selection): Promise<boolean> => {
      const result = await attempt(call);
      if (result === undefined) return false;
      if (!result.ok) {
        set({ refusal: { reason: result.reason, problems: result.problems } });
        return false;
      }
      set({ refusal: null });
      show(result.state, selectAfter);
      return true;
    };

    /** Undo and redo: nothing to take back or make again is no refusal, just the same state. */
    const step = async (call: () => Promise<{ state: TopologyState }>) => {
      const result = await attempt(call);
      if (result) {
        set({ refusal: null });
        show(result.state);
      }
    };

    const actions: EditorActions = {
      async load() {
        const state = await attempt(() => api['topology.get']());
        if (state) show(state);
      },
      receiveEvent(state) {
        const current = get().server;
        if (current === null || state.revision > current.revision) show(state);
      },
      select(selection) {
        set({ selection, refusal: null, ...drawn(get().server, selection, get().nodes) });
      },
      command(command, selectAfter) {
        return change(() => api['topology.command'](command), selectAfter);
      },
      connect(a, b) {
        return actions.command({ kind: 'addTunnel', a, b }, { kind: 'tunnel', a, b });
      },
      open(path) {
        return change(() => api['topology.open']({ path }), NONE);
      },
      undo: () => step(() => api['topology.undo']()),
      redo: () => step(() => api['topology.redo']()),
      cancelChanges() {
        return change(() => api['topology.cancelChanges']());
      },
      changeNodes(changes) {
        const kept = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
        if (kept.length > 0) set({ nodes: applyNodeChanges(kept, get().nodes) });
      },
      async dropRoot(id, position) {
        await actions.command({ kind: 'moveRoot', id, position });
      },
    };
    return { server: null, selection: NONE, refusal: null, failure: null, deploySummary: null, nodes: [], edges: [], actions };
  });
  return store;
}
