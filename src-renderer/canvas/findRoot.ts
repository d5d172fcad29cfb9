// Finds the root a search names: the exact name first, then one that starts with what was typed, then one that contains
// it, ignoring case; pure.

export function findRoot<R extends { name: string }>(roots: readonly R[], query: string): R | undefined {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') return undefined;
  const names = roots.map((r) => r.name.toLowerCase());
  const index = [names.indexOf(wanted), names.findIndex((n) => n.startsWith(wanted)), names.findIndex((n) => n.includes(wanted))].find((i) => i >= 0);
  return index === undefined ? undefined : roots[index];
}
