// Whether a new topology replaces the one drawn rather than edits it (a file opened, the changes cancelled): then the
// canvas fits its view to it anew, where after an edit it keeps the administrator's view.

/** True when fewer than half of the roots, counted in the larger of the two, are in both. */
export function replacedWholesale(before: readonly number[], after: readonly number[]): boolean {
  if (after.length === 0) return false;
  const kept = new Set(before);
  const shared = after.filter((id) => kept.has(id)).length;
  return shared * 2 < Math.max(before.length, after.length);
}
