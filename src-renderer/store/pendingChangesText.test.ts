import { describe, expect, it } from 'vitest';
import type { PendingChanges } from '../../src-shared/contract/contract.ts';
import { describeChanges, rootIsDeployed, tunnelIsDeployed } from './pendingChangesText.ts';

const gone = { id: 4, name: 'old-dc', internetAddress: '203.0.113.4', overlay: '10.4.0.0/16', maxClients: 100 };
const changes: PendingChanges = {
  deployed: true,
  roots: { added: [5], changed: [2, 3], moved: [], deleted: [gone] },
  tunnels: { added: [{ a: 1, b: 5 }], deleted: [{ a: 1, b: 4 }, { a: 2, b: 4 }] },
  count: 7,
};

describe('pending changes in words', () => {
  it('names every kind of change there is, and only those', () => {
    expect(describeChanges(changes)).toBe('1 root added, 2 roots changed, 1 root deleted, 1 tunnel added, 2 tunnels deleted');
    expect(describeChanges({ ...changes, roots: { added: [], changed: [], moved: [1], deleted: [] }, tunnels: { added: [], deleted: [] } })).toBe('1 root moved');
  });

  it.each([
    { id: 2, deployed: true },
    { id: 5, deployed: false },
  ])('says whether root $id is on the overlay: $deployed', ({ id, deployed }) => {
    expect(rootIsDeployed(changes, id)).toBe(deployed);
    expect(rootIsDeployed({ ...changes, deployed: false }, id)).toBe(false);
  });

  it.each([
    { a: 1, b: 2, deployed: true },
    { a: 5, b: 1, deployed: false },
    { a: 1, b: 5, deployed: false },
  ])('says whether tunnel $a–$b is on the overlay: $deployed', ({ a, b, deployed }) => {
    expect(tunnelIsDeployed(changes, a, b)).toBe(deployed);
  });
});
