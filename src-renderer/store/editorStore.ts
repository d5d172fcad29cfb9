// The editor's state: the pending topology as main last reported it, the selection, the last refused change, and the canvas's
// nodes and edges (deleted ones too), with where automatic layout put roots that have no position and when to fit the view.
import { applyNodeChanges } from '@xyflow/react';
import type { NodeChange } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Api, ChangeResult, Problem, TopologyCommand, TopologyState } from '../../src-shared/contract/contract.ts';
import type { DraftRoot } from './edits.ts';
import type { Layout } from '../canvas/layoutRoots.ts';
import { layOutWithElk, placeUnplaced } from '../canvas/layoutRoots.ts';
import type { RootNode, TunnelEdge } from '../canvas/toFlow.ts';
import { drawnTunnels, toRootNodes, toTunnelEdges, withMeasuredHandles } from '../canvas/toFlow.ts';
import { rememberedBends } from '../canvas/tunnelBends.ts';
import type { Point } from '../canvas/tunnelPath.ts';
import { replacedWholesale } from './replacedWholesale.ts';
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
  /** The tunnel asked for, when the refused change was drawing one: the canvas says why beside the drawing. */
  tunnel?: { a: number; b: number };
}

export interface EditorActions {
  /** Fetches the pending topology (shown unless an event brought a newer one meanwhile); call once at start. */
  load(): Promise<void>;
  /** A state main sent without being asked: kept only when newer than the one shown. */
  receiveEvent(state: TopologyState): void;
  select(selection: Selection): void;
  /**
   * Asks main to make one edit; true when made, false when refused (see `refusal`) or failed (see
   * `failure`). `selectAfter` replaces the selection once made (a new root, nothing after a delete).
   */
  command(command: TopologyCommand, selectAfter?: Selection): Promise<boolean>;
  /** Adds the tunnel a–b and selects it; main refuses a duplicate or a loop (the refusal then names the tunnel). */
  connect(a: number, b: number): Promise<boolean>;
  /** Puts the refusal away. */
  dismissRefusal(): void;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Drops every pending change, back to the deployed topology (undo brings them back); true when done. */
  cancelChanges(): Promise<boolean>;
  /** React Flow's node changes: dragging and measuring (a root's handles follow its size). Selection and removal go through the panel instead. */
  changeNodes(changes: NodeChange<RootNode>[]): void;
  /** Stores where a root was dropped. */
  dropRoot(id: number, position: { x: number; y: number }): Promise<void>;
  /** Lays the whole drawing out anew and stores every root's place, as one change (undo puts them back). */
  layOut(): Promise<boolean>;
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
  /** Where automatic layout put roots that have no saved position (until one is stored for them). */
  laidOut: ReadonlyMap<number, Point>;
  /**
   * Grows whenever the canvas should fit its view to the drawing: the topology was replaced wholesale (a file opened,
   * the changes cancelled) or laid out.
   */
  fitRequest: number;
  actions: EditorActions;
}

const NONE: Selection = { kind: 'none' };

/** The calls the editor makes: the topology's. */
export type TopologyApi = Pick<
  Api,
  'topology.get' | 'topology.save' | 'topology.command' | 'topology.undo' | 'topology.redo' | 'topology.cancelChanges' | 'topology.diff'
>;

/** `layout` places roots (elkjs unless a test gives its own). */
export function createEditorStore(api: TopologyApi, layout: Layout = layOutWithElk): StoreApi<EditorState> {
  const store = createStore<EditorState>()((set, get) => {
    /**
     * Nodes and edges follow the server state, the selection and the layout; nothing else changes them but dragging.
     * What did not change keeps its identity (toFlow.ts), so React Flow redraws only what did.
     */
    const drawn = (server: TopologyState | null, selection: Selection, laidOut = get().laidOut) => {
      if (server === null) return { nodes: [], edges: [] };
      const drawing = {
        topology: server.topology,
        plan: server.plan,
        changes: server.changes,
        selectedRoot: selection.kind === 'root' ? selection.id : null,
        selectedTunnel: selection.kind === 'tunnel' ? selection : null,
        laidOut,
      };
      const nodes = toRootNodes(drawing, get().nodes);
      return { nodes, edges: toTunnelEdges(drawing, get().edges, bendsOf(nodes, drawnTunnels(drawing))) };
    };
    const bendsOf = rememberedBends();
    const fitAgain = () => ({ fitRequest: get().fitRequest + 1 });
    let layingOut = false;
    /** Lays out the roots with neither a stored position nor one from an earlier layout; again if more came meanwhile. */
    const layOutUnplaced = async (): Promise<void> => {
      const server = get().server;
      const laidOut = get().laidOut;
      if (layingOut || server === null || server.topology.roots.every((r) => r.position !== undefined || laidOut.has(r.id))) return;
      layingOut = true;
      try {
        const known = server.topology.roots.map((r) => (r.position === undefined && laidOut.has(r.id) ? { ...r, position: laidOut.get(r.id)! } : r));
        const placed = await placeUnplaced({ ...server.topology, roots: known }, layout);
        const next = new Map([...get().laidOut, ...placed]);
        set({ laidOut: next, ...drawn(get().server, get().selection, next), ...fitAgain() });
      } catch (error) {
        set({ failure: `The automatic layout failed: ${error instanceof Error ? error.message : String(error)}` });
        return;
      } finally {
        layingOut = false;
      }
      await layOutUnplaced();
    };
    const stillThere = (selection: Selection, server: TopologyState): Selection => {
      const ids = new Set(server.topology.roots.map((r) => r.id));
      if (selection.kind === 'root' && !ids.has(selection.id)) return NONE;
      if (selection.kind === 'tunnel' && !server.topology.tunnels.some((t) => (t.a === selection.a && t.b === selection.b) || (t.a === selection.b && t.b === selection.a))) return NONE;
      return selection;
    };
    const show = (server: TopologyState, selection = get().selection) => {
      // Another topology (a file opened elsewhere too): what was selected or refused was about the one it replaced.
      const replaced = replacedWholesale(get().server?.topology.roots ?? [], server.topology.roots);
      const kept = replaced ? NONE : stillThere(selection, server);
      set({ server, selection: kept, failure: null, ...drawn(server, kept), ...(replaced && { refusal: null, ...fitAgain() }) });
      void refreshDeploySummary();
      void layOutUnplaced();
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
    const change = async (call: () => Promise<ChangeResult>, selectAfter?: Selection, tunnel?: { a: number; b: number }): Promise<boolean> => {
      const result = await attempt(call);
      if (result === undefined) return false;
      if (!result.ok) {
        set({ refusal: { reason: result.reason, problems: result.problems, ...(tunnel && { tunnel }) } });
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
        // An event may have brought a newer state while this one was on its way (the page asks before it listens).
        const shown = get().server;
        if (state && (shown === null || state.revision >= shown.revision)) show(state);
      },
      receiveEvent(state) {
        const current = get().server;
        if (current === null || state.revision > current.revision) show(state);
      },
      select(selection) {
        set({ selection, refusal: null, ...drawn(get().server, selection) });
      },
      command(command, selectAfter) {
        return change(() => api['topology.command'](command), selectAfter);
      },
      connect(a, b) {
        return change(() => api['topology.command']({ kind: 'addTunnel', a, b }), { kind: 'tunnel', a, b }, { a, b });
      },
      dismissRefusal() {
        set({ refusal: null });
      },
      undo: () => step(() => api['topology.undo']()),
      redo: () => step(() => api['topology.redo']()),
      cancelChanges() {
        return change(() => api['topology.cancelChanges']());
      },
      changeNodes(changes) {
        const kept = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
        if (kept.length === 0) return;
        const resized = new Set(kept.flatMap((c) => (c.type === 'dimensions' ? [c.id] : [])));
        set({ nodes: applyNodeChanges(kept, get().nodes).map((n) => (resized.has(n.id) ? withMeasuredHandles(n) : n)) });
      },
      async dropRoot(id, position) {
        await actions.command({ kind: 'moveRoot', id, position });
      },
      async layOut() {
        const topology = get().server?.topology;
        if (!topology) return false;
        const placed = await attempt(() => layout(topology.roots.map((r) => r.id), topology.tunnels));
        if (placed === undefined) return false;
        const roots = topology.roots.map((r) => ({ ...r, position: placed.get(r.id) ?? r.position }));
        const made = await change(() => api['topology.save']({ topology: { ...topology, roots } }));
        if (made) set(fitAgain());
        return made;
      },
    };
    return { server: null, selection: NONE, refusal: null, failure: null, deploySummary: null, nodes: [], edges: [], laidOut: new Map(), fitRequest: 0, actions };
  });
  return store;
}
