import { describe, expect, it } from 'vitest';
import { diffTopologies } from './diffTopologies.ts';
import { makeRoot } from '../topology/arbitraries.testkit.ts';

describe('diffTopologies', () => {
  const base = { roots: [makeRoot(1, { maxClients: 150 }), makeRoot(2)], tunnels: [{ a: 1, b: 2 }] };

  it('is empty for equal topologies, and ignores canvas positions', () => {
    const moved = { ...base, roots: base.roots.map((r) => ({ ...r, position: { x: 5, y: 9 } })) };
    expect(diffTopologies(base, moved).empty).toBe(true);
  });

  it('lists added and removed roots, tunnels and their leaves', () => {
    const next = { roots: [makeRoot(1, { maxClients: 150 }), makeRoot(3, { maxClients: 100 })], tunnels: [{ a: 3, b: 1 }] };
    const d = diffTopologies(base, next);
    expect(d.roots.added.map((r) => r.id)).toEqual([3]);
    expect(d.roots.removed.map((r) => r.id)).toEqual([2]);
    expect(d.tunnels.added.map((t) => t.name)).toEqual(['tunnel-1-3']);
    expect(d.tunnels.removed.map((t) => t.name)).toEqual(['tunnel-1-2']);
    expect(d.leaves.added.map((l) => l.nodeName)).toEqual(['leaf-3-1']);
    expect(d.leaves.removed.map((l) => l.nodeName)).toEqual(['leaf-2-1', 'leaf-2-2', 'leaf-2-3']);
    expect(d.empty).toBe(false);
  });

  it('reports changed fields with before and after, and leaves renumbered by a new overlay', () => {
    const next = { ...base, roots: [makeRoot(1, { maxClients: 250, overlay: '10.50.0.0/16', cloud: { provider: 'ec2' } }), makeRoot(2)] };
    const d = diffTopologies(base, next);
    expect(d.roots.changed).toEqual([
      {
        id: 1,
        name: 'cloud-1',
        changes: [
          { field: 'overlay', from: '10.1.0.0/16', to: '10.50.0.0/16' },
          { field: 'maxClients', from: 150, to: 250 },
          { field: 'provider', from: 'existing', to: 'ec2' },
          { field: 'natted', from: false, to: true },
        ],
      },
    ]);
    expect(d.leaves.added.map((l) => l.nodeName)).toEqual(['leaf-1-3']);
    expect(d.leaves.changed.map((c) => [c.nodeName, c.changes.map((x) => x.field)])).toEqual([
      ['leaf-1-1', ['clientSubnet', 'clientServerAddress', 'uplinkAddress']],
      ['leaf-1-2', ['clientSubnet', 'clientServerAddress', 'uplinkAddress', 'maxClients']],
    ]);
  });
});
