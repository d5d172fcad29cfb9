// Reads the pending changes main reports: what they are in words, and whether a root or tunnel is on the overlay (so deleting it leaves it struck through until the deploy).
import type { PendingChanges } from '../../src-shared/contract/contract.ts';
import { count } from '../../src-shared/text/count.ts';

/** "1 root added, 2 tunnels deleted": every kind of change there is, in the order the lists come. */
export function describeChanges(changes: PendingChanges): string {
  const parts = [
    [changes.roots.added, 'root', 'added'],
    [changes.roots.changed, 'root', 'changed'],
    [changes.roots.moved, 'root', 'moved'],
    [changes.roots.deleted, 'root', 'deleted'],
    [changes.tunnels.added, 'tunnel', 'added'],
    [changes.tunnels.deleted, 'tunnel', 'deleted'],
  ] as const;
  return parts
    .filter(([list]) => list.length > 0)
    .map(([list, noun, what]) => `${count(list.length, noun)} ${what}`)
    .join(', ');
}

export function rootIsDeployed(changes: PendingChanges, id: number): boolean {
  return changes.deployed && !changes.roots.added.includes(id);
}

/** Tunnels are unordered: a–b and b–a are the same tunnel. */
export function tunnelIsDeployed(changes: PendingChanges, a: number, b: number): boolean {
  return changes.deployed && !changes.tunnels.added.some((t) => (t.a === a && t.b === b) || (t.a === b && t.b === a));
}
