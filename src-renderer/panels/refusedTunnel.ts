// A tunnel drawn on the canvas and refused, in the panel's words: which tunnel it was, and that the selection the panel
// shows below (the one the canvas still draws) did not move to it.
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { rootName, tunnelTitle } from '../overlay/nodeLabel.ts';
import type { Selection } from '../store/editorStore.ts';
import { asSentence } from './problemWords.ts';

/** What is selected, as the panel names it; null when nothing is. */
function selectedWords(topology: Topology, selection: Selection): string | null {
  switch (selection.kind) {
    case 'none':
      return null;
    case 'root':
      return rootName(topology, selection.id);
    case 'tunnel':
      return tunnelTitle(topology, selection.a, selection.b);
    case 'new-root':
      return 'the new root';
  }
}

export function refusedTunnelWords(topology: Topology, tunnel: { a: number; b: number }, reason: string, selection: Selection): { reason: string; note: string | null } {
  const selected = selectedWords(topology, selection);
  return {
    reason: asSentence(`tunnel ${tunnelTitle(topology, tunnel.a, tunnel.b)} not added: ${reason}`),
    // Names are the administrator's, so the note starts with words of its own rather than a capitalised name.
    note: selected === null ? null : `Nothing changed: ${selected} is still selected.`,
  };
}
