// Connections without credentials cannot exhaust an agent: while 20,000 bare TCP connections and a thousand idle TLS
// ones are attempted from other loopback addresses, a neighbour's new flood stream and an administrator's login get
// through, every attacking connection is cut well before the attacker lets go of it, and memory goes back near idle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/wait.ts';
import { startCluster } from '../agentCluster.ts';
import type { Cluster } from '../agentCluster.ts';
import { answerOf } from '../answerOf.ts';
import { testBundle } from '../testBundle.ts';
import { attemptConnections, loopbackSources } from './connectionFlood.ts';

const roots = ['root-1', 'root-2'];
let cluster: Cluster;
const stopAttack = new AbortController();

beforeAll(async () => {
  cluster = await startCluster({
    neighbours: new Map([
      ['root-1', ['root-2']],
      ['root-2', ['root-1']],
    ]),
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: 1_000 },
  });
  await cluster.allHeard(roots, 10_000);
}, 60_000);

afterAll(async () => {
  stopAttack.abort();
  await cluster?.stop();
});

interface Metrics {
  handled: Record<string, number>;
  memory: { rss: number };
}

const MiB = 2 ** 20;
const metrics = async (node: string) => (await cluster.request(node, 'GET', '/v1/test/metrics')).json as Metrics;

/**
 * An attacking connection is held this long unless the agent cuts it first: far past the agent's deadlines (5 s for a
 * handshake, 6 s idle without a certificate), even when a loaded machine makes a handshake slow, so a connection the
 * agent let stay shows as one not cut.
 */
const HOLD_MS = 30_000;
/**
 * Resident memory after the attack may exceed the idle size by this much. Measured: about 4 MiB after 20,000 bare
 * connections, and about 25 MiB after an attack that keeps the agent's 256 uncertified connections busy with TLS (the
 * allocator keeps some of what OpenSSL freed); before the caps, 106 and 274 MiB.
 */
const MEMORY_SLACK = 40 * MiB;

describe('an agent flooded with connections without credentials', () => {
  it('keeps serving a neighbour and the administrator, cuts every attacking connection, and gives its memory back', async () => {
    const target = cluster.agents.get('root-1')!;
    const idle = (await metrics('root-1')).memory.rss;
    let attacking = true;
    const attack = (options: { count: number; sources: string[]; concurrency: number; tls?: boolean }) =>
      attemptConnections({ host: '127.0.0.1', port: target.port, holdMs: HOLD_MS, signal: stopAttack.signal, ...options });
    const attacks = Promise.all([
      // The bare connections of the report, which took the agent's file descriptors and then every new connection: from
      // a few addresses, which soon hold their share each, and from many, which each stay within theirs.
      attack({ count: 12_000, sources: loopbackSources(8), concurrency: 1_200 }),
      attack({ count: 8_000, sources: loopbackSources(500, 256), concurrency: 800 }),
      // Idle TLS connections without a certificate, which the agent held for 120 s at 61 KiB each.
      attack({ count: 1_000, sources: loopbackSources(2, 20), concurrency: 200, tls: true }),
    ]).finally(() => (attacking = false));
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    // A neighbour that comes back opens a new flood stream through the attack: its message reaches root-1.
    await cluster.restart('root-2');
    const sent = await cluster.request('root-2', 'POST', '/v1/test/originate', { type: 'confirm_deploy', body: { topologyId: 'through-the-flood' } });
    expect(sent.status).toBe(200);
    const id = (sent.json as { id: string }).id;
    await waitFor(async () => (await metrics('root-1')).handled[id] !== undefined, { timeoutMs: 15_000, what: `root-1 to handle ${id}` });

    // The administrator logs in at root-1, and root-2's acknowledgement comes back on that stream.
    const login = answerOf(await cluster.app('root-1').login({ user: 'administrator', password: 'makeitrain', newPassword: 'a much better secret' }));
    const session = cluster.app('root-1', login.session);
    await waitFor(async () => answerOf(await session.loginProgress()).phase === 'active', { timeoutMs: 15_000, what: 'the login to complete' });
    expect(attacking).toBe(true);

    // Every one cut by the agent, never held to the end: turned away at accept, closed to make room for a newer one, or
    // closed at its handshake or idle deadline.
    const results = await attacks;
    expect(results.map((r) => [r.attempted, r.refusedOrReset])).toEqual([
      [12_000, 12_000],
      [8_000, 8_000],
      [1_000, 1_000],
    ]);

    const settled = await waitFor(
      async () => {
        const { rss } = (await metrics('root-1')).memory;
        return rss <= idle + MEMORY_SLACK && rss;
      },
      { timeoutMs: 15_000, intervalMs: 1_000, what: `root-1's memory to come back near its idle ${(idle / MiB).toFixed(0)} MiB` },
    );
    expect(settled - idle).toBeLessThanOrEqual(MEMORY_SLACK);
  }, 120_000);
});
