// Test-only: sample topologies and plans, and their key material from the project's PKI.
import { planAddresses, type AddressPlan } from '../../../src-shared/plan/planAddresses.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import { ensureOverlayKeys } from '../pki/ensureOverlayKeys.ts';
import type { KeyType, OverlayKeys } from '../pki/keyTypes.ts';

/** The overlay's keys for a plan, made by the PKI as a first deploy would make them. */
export function fixtureKeys(plan: AddressPlan, options: { keyType?: KeyType; clientsPerRoot?: number } = {}): Promise<OverlayKeys> {
  return ensureOverlayKeys(plan, undefined, options);
}

/** Sample topologies that cover what the renderers branch on: NATed or not, no tunnels, a mesh, many leaves, transit through roots. */
export const SAMPLE_TOPOLOGIES: Record<string, Topology> = {
  single: { roots: [makeRoot(1, { maxClients: 100 })], tunnels: [] },
  pair: { roots: [makeRoot(1), makeRoot(2, { cloud: { provider: 'ec2' } })], tunnels: [{ a: 1, b: 2 }] },
  mesh: {
    roots: [
      makeRoot(3, { name: 'Lab "east" #3', maxClients: 50 }),
      makeRoot(7, { cloud: { provider: 'eucalyptus' }, maxClients: 1_000 }),
      makeRoot(12, { cloud: { provider: 'existing', natted: true }, maxClients: 301 }),
    ],
    tunnels: [
      { a: 3, b: 7 },
      { a: 12, b: 3 },
      { a: 7, b: 12 },
    ],
  },
  /** Root 1 carries its spokes' traffic to each other; root 4 is an island no tunnel reaches. */
  hub: { roots: [1, 2, 3, 4].map((id) => makeRoot(id, { maxClients: 10 })), tunnels: [{ a: 1, b: 2 }, { a: 3, b: 1 }] },
  /** Opposite roots reach each other through two tunnels; tunnel 1–2 carries two selectors (see planRoutes). */
  ring: { roots: [1, 2, 3, 4].map((id) => makeRoot(id, { maxClients: 10 })), tunnels: [{ a: 1, b: 2 }, { a: 2, b: 3 }, { a: 3, b: 4 }, { a: 4, b: 1 }] },
};

export function samplePlan(name: keyof typeof SAMPLE_TOPOLOGIES): AddressPlan {
  return planAddresses(SAMPLE_TOPOLOGIES[name]!);
}
