// What deleting the selected root or tunnel asks before it is done: the question, what goes with it, and the command; pure.
import type { AddressPlan } from '../../src-shared/plan/planAddresses.ts';
import type { PendingChanges, TopologyCommand } from '../../src-shared/contract/contract.ts';
import type { Topology } from '../../src-shared/topology/schemas.ts';
import { count } from '../../src-shared/text/count.ts';
import { rootName, tunnelTitle } from '../overlay/nodeLabel.ts';
import type { Selection } from '../store/editorStore.ts';
import { tunnelsOf } from '../store/edits.ts';
import { rootIsDeployed, tunnelIsDeployed } from '../store/pendingChangesText.ts';

export interface DeleteQuestion {
  title: string;
  message: string;
  confirmLabel: string;
  command: TopologyCommand;
}

/** `a`, `a and b`, `a, b and c`. */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The question for deleting what `selection` names, or null when it names nothing that can be deleted. */
export function deleteQuestion(topology: Topology, plan: AddressPlan, changes: PendingChanges | undefined, selection: Selection): DeleteQuestion | null {
  const nameOf = (id: number) => rootName(topology, id);
  if (selection.kind === 'tunnel') {
    const { a, b } = selection;
    if (!topology.tunnels.some((t) => (t.a === a && t.b === b) || (t.a === b && t.b === a))) return null;
    const deployed = changes !== undefined && tunnelIsDeployed(changes, a, b);
    const after = deployed
      ? ' It stays on the overlay, struck through, until the next deploy removes it; then clients of the two clouds no longer reach each other through it.'
      : '';
    return {
      title: `Delete the tunnel ${tunnelTitle(topology, a, b)}?`,
      message: `The tunnel between ${nameOf(a)} and ${nameOf(b)} leaves the pending topology.${after} Undo brings it back.`,
      confirmLabel: 'Delete tunnel',
      command: { kind: 'deleteTunnel', a, b },
    };
  }
  if (selection.kind !== 'root') return null;
  const root = topology.roots.find((r) => r.id === selection.id);
  if (!root) return null;
  const leaves = plan.roots.find((r) => r.rootId === root.id)?.leaves.length ?? 0;
  const peers = tunnelsOf(topology, root.id).map((t) => nameOf(t.a === root.id ? t.b : t.a));
  const goes = [`its ${count(leaves, 'leaf', 'leaves')} (room for ${count(root.maxClients, 'client')})`];
  if (peers.length > 0) goes.push(`its ${peers.length === 1 ? 'tunnel' : `${peers.length} tunnels`} to ${listWords(peers)}`);
  const deployed = changes !== undefined && rootIsDeployed(changes, root.id);
  const after = deployed
    ? ` They stay on the overlay, struck through, until the next deploy removes them; then every client machine connected through ${root.name} loses the overlay.`
    : '';
  return {
    title: `Delete ${root.name}?`,
    message: `Root ${root.name} (${root.overlay}) leaves the pending topology with ${listWords(goes)}.${after} Undo brings them back.`,
    confirmLabel: 'Delete root',
    command: { kind: 'deleteRoot', id: root.id },
  };
}
