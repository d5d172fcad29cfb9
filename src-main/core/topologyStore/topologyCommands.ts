// The edits of the pending topology: each makes the next pending topology from the stored state, or says in plain words why not.
import type { Problem, TopologyCommand } from '../../../src-shared/contract/contract.ts';
import type { Root, Topology } from '../../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../../src-shared/topology/validate.ts';
import { count } from '../../../src-shared/text/count.ts';
import { pendingChanges } from './pendingChanges.ts';
import type { StoredState } from './storedState.ts';

/** Why a change was not made: one line naming what it was about, and the shared validation's problems when it found any. */
export interface Refused {
  ok: false;
  reason: string;
  problems: Problem[];
}

export type Made = { ok: true; topology: Topology } | Refused;

const refuse = (reason: string): Refused => ({ ok: false, reason, problems: [] });
const label = (root: Root) => `root ${root.id} (${root.name})`;
const joins = (t: { a: number; b: number }, a: number, b: number) => (t.a === a && t.b === b) || (t.a === b && t.b === a);

/** `problems` as the shared validation gave them, with paths into the candidate, so the editor can show each at its field. */
export function validationRefusal(what: string, problems: Problem[]): Refused {
  return { ok: false, reason: `${what}: ${count(problems.length, 'problem')}; the pending topology is unchanged`, problems };
}

/** Every change goes through here: whatever a command builds, the shared rules have the last word. */
export function validated(candidate: unknown, what: string): Made {
  const result = validateTopology(candidate);
  return result.ok ? { ok: true, topology: result.topology } : validationRefusal(what, result.problems);
}

export function applyCommand(state: StoredState, command: TopologyCommand): Made {
  switch (command.kind) {
    case 'addRoot':
      return addRoot(state, command.root);
    case 'moveRoot':
    case 'editRoot':
    case 'deleteRoot': {
      const root = state.pending.roots.find((r) => r.id === command.id);
      return root ? changeRoot(state.pending, root, command) : missing(state, command.id);
    }
    case 'addTunnel':
    case 'deleteTunnel': {
      const a = state.pending.roots.find((r) => r.id === command.a);
      const b = state.pending.roots.find((r) => r.id === command.b);
      if (command.a === command.b) return refuse(`${a ? label(a) : `root ${command.a}`} cannot have a tunnel to itself: a tunnel joins two different roots`);
      if (!a) return missing(state, command.a);
      if (!b) return missing(state, command.b);
      return changeTunnel(state.pending, a, b, command.kind);
    }
  }
}

function changeRoot({ roots, tunnels }: Topology, root: Root, command: Extract<TopologyCommand, { id: number }>): Made {
  const replaced = (next: Record<string, unknown>) => roots.map((r) => (r === root ? next : r));
  switch (command.kind) {
    case 'moveRoot': {
      const position = { x: Math.round(command.position.x), y: Math.round(command.position.y) };
      return validated({ roots: replaced({ ...root, position }), tunnels }, `${label(root)} not moved`);
    }
    case 'editRoot':
      if (Object.hasOwn(command.changes, 'id') && command.changes['id'] !== root.id) return refuse(`${label(root)} keeps its id: a root's id never changes`);
      return validated({ roots: replaced({ ...root, ...command.changes }), tunnels }, `${label(root)} not saved`);
    case 'deleteRoot':
      return validated({ roots: roots.filter((r) => r !== root), tunnels: tunnels.filter((t) => t.a !== root.id && t.b !== root.id) }, `${label(root)} not deleted`);
  }
}

/** Tunnels are unordered: a–b and b–a are the same tunnel. */
function changeTunnel({ roots, tunnels }: Topology, a: Root, b: Root, kind: 'addTunnel' | 'deleteTunnel'): Made {
  const exists = tunnels.some((t) => joins(t, a.id, b.id));
  const what = `the tunnel between ${label(a)} and ${label(b)}`;
  if (kind === 'addTunnel') {
    // Either way round it is the same tunnel, so the words name no direction.
    if (exists) return refuse(`there is already a tunnel between ${label(a)} and ${label(b)}`);
    return validated({ roots, tunnels: [...tunnels, { a: a.id, b: b.id }] }, `${what} not added`);
  }
  if (!exists) return refuse(`there is no tunnel between ${label(a)} and ${label(b)}`);
  return validated({ roots, tunnels: tunnels.filter((t) => !joins(t, a.id, b.id)) }, `${what} not deleted`);
}

/** The deployed topology back as the pending one; refused when there is none, or when it would change nothing. */
export function cancelChanges(state: StoredState): Made {
  if (state.deployed === null) return refuse('nothing is deployed yet, so there is no deployed topology to go back to');
  if (pendingChanges(state.deployed, state.pending).count === 0) return refuse('no pending changes: the pending topology is the deployed one');
  return { ok: true, topology: state.deployed };
}

/**
 * A new root goes at the end of `roots` (so problem paths name it as the form shows it). Its id may not be a
 * deleted root's that the overlay still runs: the deploy would take the new root for the old one.
 */
function addRoot(state: StoredState, root: unknown): Made {
  const fields = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
  const id = fields['id'];
  const deleted = state.pending.roots.some((r) => r.id === id) ? undefined : state.deployed?.roots.find((r) => r.id === id);
  if (deleted) return refuse(`id ${deleted.id} still belongs to ${label(deleted)}, deleted but deployed until the next deploy removes it`);
  const name = fields['name'];
  const what = typeof id === 'number' && typeof name === 'string' && name !== '' ? `root ${id} (${name})` : 'the new root';
  return validated({ roots: [...state.pending.roots, root], tunnels: state.pending.tunnels }, `${what} not added`);
}

/** A root that is not in the pending topology: deleted (and still deployed), or never there. */
function missing(state: StoredState, id: number): Refused {
  const deleted = state.deployed?.roots.find((r) => r.id === id);
  return refuse(deleted ? `${label(deleted)} is deleted: it stays deployed, struck through, until the next deploy removes it` : `root ${id} does not exist`);
}
