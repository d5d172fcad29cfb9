import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { overlayShouldSend } from './forwardPolicy.ts';
import { createMemoryNetwork, simulatedSignature } from './memoryNetwork.ts';
import { randomOverlay, seededRandom } from './overlayGraph.ts';

const overlayArbitrary = fc.record({
  roots: fc.integer({ min: 1, max: 25 }),
  leavesPerRoot: fc.integer({ min: 0, max: 4 }),
  extraTunnels: fc.integer({ min: 0, max: 30 }),
  seed: fc.integer(),
});

describe('flooding on random overlays', () => {
  it('every node handles every flood exactly once, in any delivery order', () => {
    fc.assert(
      fc.property(overlayArbitrary, fc.integer({ min: 1, max: 4 }), fc.integer(), (shape, floods, orderSeed) => {
        const overlay = randomOverlay({ ...shape, random: seededRandom(shape.seed) });
        const handled = new Map<string, string[]>();
        const network = createMemoryNetwork({
          neighbours: overlay.neighbours,
          now: () => 1_000_000,
          handle: (node, message) => handled.set(message.id, [...(handled.get(message.id) ?? []), node]),
        });
        const pick = seededRandom(orderSeed);
        const sent: FloodMessage[] = [];
        for (let i = 0; i < floods; i++) {
          const origin = overlay.nodes[Math.floor(pick() * overlay.nodes.length)]!;
          sent.push(network.router(origin).originate('deploy', { topologyId: `t${i}`, digest: `sha256:${'0'.repeat(64)}`, size: 1, confirmBy: 0 }));
        }
        network.deliverAll(pick);
        for (const message of sent) {
          const nodes = handled.get(message.id) ?? [];
          const expected = overlay.nodes.filter((n) => n !== message.origin).sort();
          expect([...nodes].sort()).toEqual(expected);
        }
        // Each link carries a flood both ways except the links of the tree it first spread along.
        expect(network.sent).toBe(floods * (2 * overlay.links - (overlay.nodes.length - 1)));
      }),
      { numRuns: 150 },
    );
  });

  it('with the overlay policy, root heartbeats reach every root once and no leaf', () => {
    fc.assert(
      fc.property(overlayArbitrary, (shape) => {
        const overlay = randomOverlay({ ...shape, random: seededRandom(shape.seed) });
        const handled: string[] = [];
        const network = createMemoryNetwork({ neighbours: overlay.neighbours, now: () => 0, handle: (node) => handled.push(node), router: { shouldSend: overlayShouldSend } });
        network.router('root-1').originate('heartbeat', { state: 'alive', topologyId: null, intervalMs: 5000 });
        network.deliverAll();
        expect(handled.sort()).toEqual(overlay.roots.filter((r) => r !== 'root-1').sort());
      }),
      { numRuns: 100 },
    );
  });

  it('a leaf heartbeat stops at its root', () => {
    const overlay = randomOverlay({ roots: 4, leavesPerRoot: 3, extraTunnels: 2, random: seededRandom(1) });
    const handled: string[] = [];
    const network = createMemoryNetwork({ neighbours: overlay.neighbours, now: () => 0, handle: (node) => handled.push(node), router: { shouldSend: overlayShouldSend } });
    network.router('leaf-3-2').originate('heartbeat', { state: 'alive', topologyId: null, intervalMs: 5000 });
    network.deliverAll();
    expect(handled).toEqual(['root-3']);
    expect(network.sent).toBe(1);
  });

  it('simulated signatures still catch tampering', () => {
    const overlay = randomOverlay({ roots: 2, leavesPerRoot: 0, extraTunnels: 0, random: seededRandom(1) });
    const network = createMemoryNetwork({ neighbours: overlay.neighbours, now: () => 0 });
    const message = network.router('root-1').originate('confirm_deploy', { topologyId: 't1' });
    expect(message.sig).toBe(simulatedSignature(message));
    expect(network.router('root-2').receive('root-1', { ...message, body: { topologyId: 't2' } })).toEqual({ accepted: false, reason: 'bad_signature' });
  });
});
