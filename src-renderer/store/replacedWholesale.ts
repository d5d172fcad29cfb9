// Whether a new topology replaces the one drawn rather than edits it (a file opened, the changes cancelled): then the
// canvas fits its view to it anew, where after an edit it keeps the administrator's view.
import type { Root } from '../../src-shared/topology/schemas.ts';

/**
 * True when fewer than half of the roots, counted in the larger of the two topologies, are in both. A root is the same
 * by id and name: files number their roots from 1 alike, so ids alone would take another file for an edit of this one.
 */
export function replacedWholesale(before: readonly Root[], after: readonly Root[]): boolean {
  if (after.length === 0) return false;
  const key = (r: Root) => `${r.id} ${r.name}`;
  const kept = new Set(before.map(key));
  const shared = after.filter((r) => kept.has(key(r))).length;
  return shared * 2 < Math.max(before.length, after.length);
}
