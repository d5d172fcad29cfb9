import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planAddresses, planRoot } from './planAddresses.ts';
import type { AddressPlan } from './planAddresses.ts';
import { MAX_CLIENTS_PER_ROOT } from './planConstants.ts';
import { parseIpv4, parsePrefix, prefixContains, prefixesOverlap } from '../net/ipv4.ts';
import { makeRoot, validTopology } from '../topology/arbitraries.testkit.ts';

function subnetsOf(plan: AddressPlan) {
  return plan.roots.flatMap((r) => [
    { root: r, subnet: r.uplinkSubnet },
    ...r.leaves.map((l) => ({ root: r, subnet: l.clientSubnet })),
  ]);
}

describe('planRoot', () => {
  it('carves the uplink /22 first, then one /25 per leaf', () => {
    const plan = planRoot(makeRoot(1, { overlay: '10.7.0.0/16', maxClients: 250 }));
    expect(plan.uplinkSubnet).toBe('10.7.0.0/22');
    expect(plan.uplinkServerAddress).toBe('10.7.0.1');
    expect(plan.leaves.map((l) => [l.nodeName, l.clientSubnet, l.clientServerAddress, l.uplinkAddress, l.maxClients])).toEqual([
      ['leaf-1-1', '10.7.4.0/25', '10.7.4.1', '10.7.0.2', 100],
      ['leaf-1-2', '10.7.4.128/25', '10.7.4.129', '10.7.0.3', 100],
      ['leaf-1-3', '10.7.5.0/25', '10.7.5.1', '10.7.0.4', 50],
    ]);
  });

  it.each([
    [1, 1],
    [100, 1],
    [101, 2],
    [MAX_CLIENTS_PER_ROOT, 504],
  ])('gives %i clients %i leaves', (clients, leaves) => {
    expect(planRoot(makeRoot(1, { maxClients: clients })).leaves).toHaveLength(leaves);
  });

  it('fills the /16 exactly at capacity: the last leaf ends at the last address', () => {
    const last = planRoot(makeRoot(1, { overlay: '10.9.0.0/16', maxClients: MAX_CLIENTS_PER_ROOT })).leaves.at(-1)!;
    expect(last.clientSubnet).toBe('10.9.255.128/25');
  });

  it('throws on an overlay that is not a /16 (callers validate first)', () => {
    expect(() => planRoot(makeRoot(1, { overlay: '10.9.0.0/24' }))).toThrow(/not a \/16/);
  });
});

describe('planAddresses invariants', () => {
  it('puts every subnet and address inside its root /16', () => {
    fc.assert(
      fc.property(validTopology, (t) => {
        const plan = planAddresses(t);
        for (const r of plan.roots) {
          const overlay = parsePrefix(r.overlay)!;
          for (const l of r.leaves) {
            const subnet = parsePrefix(l.clientSubnet)!;
            expect(prefixContains(overlay, subnet.base)).toBe(true);
            expect(prefixContains(subnet, parseIpv4(l.clientServerAddress)!)).toBe(true);
            expect(prefixContains(parsePrefix(r.uplinkSubnet)!, parseIpv4(l.uplinkAddress)!)).toBe(true);
          }
          expect(prefixContains(overlay, parsePrefix(r.uplinkSubnet)!.base)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never overlaps two subnets, across all roots', () => {
    fc.assert(
      fc.property(validTopology, (t) => {
        const all = subnetsOf(planAddresses(t)).map((s) => parsePrefix(s.subnet)!).sort((a, b) => a.base - b.base);
        for (let i = 1; i < all.length; i++) expect(prefixesOverlap(all[i - 1]!, all[i]!)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same topology, in any order, gives byte-equal plans', () => {
    fc.assert(
      fc.property(validTopology, fc.integer(), (t, seed) => {
        const shuffled = { roots: [...t.roots].reverse(), tunnels: [...t.tunnels].map((x) => (seed % 2 ? { a: x.b, b: x.a } : x)).reverse() };
        expect(JSON.stringify(planAddresses(shuffled))).toBe(JSON.stringify(planAddresses(t)));
      }),
      { numRuns: 200 },
    );
  });

  it('never renumbers an existing leaf when clients grow or roots are added', () => {
    fc.assert(
      fc.property(validTopology, fc.nat(), (t, extra) => {
        if (t.roots.length === 0) return;
        const before = planAddresses(t);
        const grown = {
          roots: t.roots.map((r, i) => (i === 0 ? { ...r, maxClients: Math.min(MAX_CLIENTS_PER_ROOT, r.maxClients + (extra % 5000)) } : r)),
          tunnels: t.tunnels,
        };
        const used = new Set(t.roots.map((r) => r.overlay));
        const freeSlot = Array.from({ length: 256 }, (_, i) => `12.${i}.0.0/16`).find((o) => !used.has(o))!;
        grown.roots.push({ id: 10_000, name: 'new', internetAddress: '198.51.100.77', overlay: freeSlot, maxClients: 300 });
        const after = new Map(planAddresses(grown).roots.map((r) => [r.rootId, r]));
        for (const r of before.roots) {
          const a = after.get(r.rootId)!;
          expect(a.uplinkSubnet).toBe(r.uplinkSubnet);
          expect(a.leaves.slice(0, r.leaves.length).map((l) => [l.nodeName, l.clientSubnet, l.uplinkAddress])).toEqual(
            r.leaves.map((l) => [l.nodeName, l.clientSubnet, l.uplinkAddress]),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('summarises roots, tunnels, leaves and capacity, tunnels lower id first', () => {
    const plan = planAddresses({ roots: [makeRoot(2, { maxClients: 150 }), makeRoot(1, { maxClients: 250 })], tunnels: [{ a: 2, b: 1 }] });
    expect(plan.summary).toEqual({ roots: 2, tunnels: 1, leaves: 5, clientCapacity: 400 });
    expect(plan.tunnels).toEqual([{ a: 1, b: 2, name: 'tunnel-1-2' }]);
    expect(plan.roots.map((r) => r.rootId)).toEqual([1, 2]);
  });
});
