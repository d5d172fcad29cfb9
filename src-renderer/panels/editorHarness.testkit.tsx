// Component tests' stand-in for main: the editor and overlay stores over an in-memory topology whose answers to
// commands each test scripts, and the providers a panel needs, so a panel renders as it does in the app.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { ChangeResult, PendingChanges, TopologyCommand, TopologyState } from '../../src-shared/contract/contract.ts';
import { diffTopologies } from '../../src-shared/diff/diffTopologies.ts';
import { planAddresses } from '../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../src-shared/topology/validate.ts';
import { OverlayProvider } from '../overlay/OverlayContext.tsx';
import { createOverlayStore } from '../overlay/overlayStore.ts';
import type { OverlayApi } from '../overlay/overlayStore.ts';
import { createEditorStore } from '../store/editorStore.ts';
import type { TopologyApi } from '../store/editorStore.ts';
import { EditorProvider } from '../store/EditorContext.tsx';

export const NO_CHANGES: PendingChanges = { deployed: false, roots: { added: [], changed: [], moved: [], deleted: [] }, tunnels: { added: [], deleted: [] }, count: 0 };

export const sampleRoot = (id: number, name: string) => ({ id, name, internetAddress: `203.0.113.${id}`, overlay: `10.${id}.0.0/16`, maxClients: 150 });

/**
 * Main in memory: `topology.command` and `topology.save` answer what `answer` says (by default: a command is refused,
 * a save of a valid topology stored); `sent` lists every command and save as sent.
 */
export function fakeMain(initial: Topology, changes: PendingChanges = NO_CHANGES) {
  let revision = 0;
  const stateOf = (topology: Topology): TopologyState => ({ topology, plan: planAddresses(topology), changes, revision, canUndo: false, canRedo: false, storedIn: '/s.json', recovery: null });
  let current = stateOf(initial);
  const sent: Array<TopologyCommand | { kind: 'save'; topology: unknown }> = [];
  const store = (topology: Topology): ChangeResult => {
    revision += 1;
    current = stateOf(topology);
    return { ok: true, state: current };
  };
  let answer = (_command: TopologyCommand): ChangeResult => ({ ok: false, reason: 'no answer scripted', problems: [] });
  const api: TopologyApi = {
    'topology.get': async () => current,
    'topology.command': async (command) => (sent.push(command), answer(command)),
    'topology.save': async ({ topology }) => {
      sent.push({ kind: 'save', topology });
      const result = validateTopology(topology);
      return result.ok ? store(result.topology) : { ok: false, reason: `not saved: ${result.problems.length} problems`, problems: result.problems };
    },
    'topology.undo': async () => ({ undone: false, state: current }),
    'topology.redo': async () => ({ redone: false, state: current }),
    'topology.cancelChanges': async () => ({ ok: false, reason: 'nothing to cancel', problems: [] }),
    'topology.diff': async () => ({ deployed: false, diff: diffTopologies({ roots: [], tunnels: [] }, current.topology) }),
  };
  return {
    api,
    sent,
    /** Answers commands with `next` from now on; `store(topology)` inside it makes the change. */
    answer: (next: (command: TopologyCommand) => ChangeResult) => (answer = next),
    store,
    topology: () => current.topology,
  };
}

/** Renders `ui` inside the editor's and the overlay's providers, the editor store loaded from `main`; no overlay is connected. */
export async function renderInEditor(main: ReturnType<typeof fakeMain>, ui: ReactNode) {
  const editor = createEditorStore(main.api);
  await editor.getState().actions.load();
  const overlay = createOverlayStore({} as OverlayApi);
  const view = render(
    <EditorProvider store={editor}>
      <OverlayProvider store={overlay}>{ui}</OverlayProvider>
    </EditorProvider>,
  );
  return { ...view, editor, actions: editor.getState().actions };
}
