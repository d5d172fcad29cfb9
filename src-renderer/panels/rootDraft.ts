// A root's form as data: the fields as typed, what changed, the problems the shared validation finds in them before
// anything is sent, and whether leaving the form would lose an edit; pure.
import { nattedByDefault, type CloudProvider, type Topology } from '../../src-shared/topology/schemas.ts';
import { validateTopology } from '../../src-shared/topology/validate.ts';
import type { Selection } from '../store/editorStore.ts';
import type { DraftRoot } from '../store/edits.ts';
import { numberOrText } from '../store/edits.ts';
import type { RootField } from '../store/fieldProblems.ts';
import { placeProblems } from '../store/fieldProblems.ts';

/** The form's fields as typed. */
export interface RootFields {
  name: string;
  internetAddress: string;
  overlay: string;
  maxClients: string;
  provider: CloudProvider;
  /** Said of this root; undefined: as its cloud's machines are (nattedByDefault). */
  natted: boolean | undefined;
}

export function fieldsOf(root: DraftRoot): RootFields {
  return {
    name: root.name,
    internetAddress: root.internetAddress,
    overlay: root.overlay,
    maxClients: String(root.maxClients),
    provider: root.cloud?.provider ?? 'existing',
    natted: root.cloud?.natted,
  };
}

/** The form's fields as the root's: where the root sits on the canvas is the canvas's to change. */
export function editedFields(initial: DraftRoot, fields: RootFields) {
  return {
    name: fields.name,
    internetAddress: fields.internetAddress.trim(),
    overlay: fields.overlay.trim(),
    maxClients: numberOrText(fields.maxClients),
    cloud: fields.natted === undefined ? { provider: fields.provider } : { provider: fields.provider, natted: fields.natted },
  };
}

/** The fields whose text differs from the root's. */
export function changedFields(initial: DraftRoot, fields: RootFields): RootField[] {
  const before = fieldsOf(initial);
  const keys: Array<[keyof RootFields, RootField]> = [
    ['name', 'name'],
    ['internetAddress', 'internetAddress'],
    ['overlay', 'overlay'],
    ['maxClients', 'maxClients'],
    ['provider', 'cloud'],
    ['natted', 'cloud'],
  ];
  return [...new Set(keys.filter(([key]) => before[key] !== fields[key]).map(([, field]) => field))];
}

/**
 * The NAT question's answer after a tick: said of the root only where it differs from its cloud's way, so that a root
 * left as its cloud has it follows the cloud chosen later.
 */
export function nattedAfterTick(provider: CloudProvider, ticked: boolean): boolean | undefined {
  return ticked === nattedByDefault(provider) ? undefined : ticked;
}

/**
 * What the shared validation says of the topology with `root` at `index` (at the end for a new root), by field: the
 * same rules main applies when the form is saved, so the form can show them as they are typed.
 */
export function draftProblems(topology: Topology, index: number, root: unknown): Partial<Record<RootField, string[]>> {
  const roots: unknown[] = [...topology.roots];
  roots[index] = root;
  const result = validateTopology({ roots, tunnels: topology.tunnels });
  return result.ok ? {} : placeProblems(result.problems, index).byField;
}

export function sameSelection(a: Selection, b: Selection): boolean {
  if (a.kind === 'root' && b.kind === 'root') return a.id === b.id;
  if (a.kind === 'tunnel' && b.kind === 'tunnel') return (a.a === b.a && a.b === b.b) || (a.a === b.b && a.b === b.a);
  if (a.kind === 'new-root' && b.kind === 'new-root') return a.draft.id === b.draft.id;
  return a.kind === b.kind;
}

/**
 * Whether an edit in the form for `selection` would still have somewhere to go: its root is still there, or the new
 * root is not yet. A selection that moves on because the edit was stored (a new root added) or the root deleted loses nothing.
 */
export function editStillStands(topology: Topology, selection: Selection): boolean {
  if (selection.kind === 'root') return topology.roots.some((r) => r.id === selection.id);
  if (selection.kind === 'new-root') return !topology.roots.some((r) => r.id === selection.draft.id);
  return false;
}
