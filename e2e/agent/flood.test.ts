// Floods between real agent processes: everything reaches every node it should, each node handles it once, a
// leaf's heartbeat stays with its root and anything else a leaf sends goes no further. Agents are enrolled through their
// own CLI here, as an installer would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '../lab/wait.ts';
import { startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { testBundle } from './testBundle.ts';

// root-1 — root-2 — root-3, root-1 — root-3 (a cycle, so duplicates happen), one leaf under root-1 and one under root-3.
const overlay = new Map<string, string[]>([
  ['root-1', ['root-2', 'root-3', 'leaf-1-1']],
  ['root-2', ['root-1', 'root-3']],
  ['root-3', ['root-1', 'root-2', 'leaf-3-1']],
  ['leaf-1-1', ['root-1']],
  ['leaf-3-1', ['root-3']],
]);

interface Metrics {
  handled: Record<string, number>;
  router: { accepted: number; rejected: { duplicate: number; forbidden: number } };
}

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ neighbours: overlay, bundle: await testBundle(), enrollWithCli: true, config: { heartbeatIntervalMs: 3_600_000 } });
});

afterAll(async () => {
  await cluster?.stop();
});

const metrics = async (node: string) => (await cluster.request(node, 'GET', '/v1/test/metrics')).json as Metrics;
const originate = async (node: string, type: string, body: unknown) => {
  const response = await cluster.request(node, 'POST', '/v1/test/originate', { type, body });
  expect(response.status).toBe(200);
  return (response.json as { id: string }).id;
};
const handledBy = async (id: string) => {
  const all = await Promise.all([...overlay.keys()].map(async (node) => [node, (await metrics(node)).handled[id]] as const));
  return all.filter(([, t]) => t !== undefined).map(([node]) => node).sort();
};

describe('flooding between agents', () => {
  it('keeps each identity key on its node, readable by its owner only', () => {
    for (const agent of cluster.agents.values()) {
      expect(statSync(path.join(agent.dataDir, 'identity', 'key.pem')).mode & 0o777).toBe(0o600);
    }
  });

  it.each([
    ['root-2', 'root-2'],
    ['root-1, which has a leaf', 'root-1'],
  ])('a confirm_deploy from %s reaches every node, leaves included, each handling it once', async (_what, origin) => {
    const before = await Promise.all([...overlay.keys()].map(metrics));
    const id = await originate(origin, 'confirm_deploy', { topologyId: `flood-from-${origin}` });
    const everyone = [...overlay.keys()].sort();
    await waitFor(async () => (await handledBy(id)).length === everyone.length, { timeoutMs: 10_000, what: `${id} everywhere` });
    expect(await handledBy(id)).toEqual(everyone);
    const after = await Promise.all([...overlay.keys()].map(metrics));
    // Handled once per node (its origin counts its own); the cycle sends the rest back as duplicates, which are dropped.
    const accepted = after.reduce((n, m, i) => n + m.router.accepted - before[i]!.router.accepted, 0);
    expect(accepted).toBe(everyone.length - 1);
    const duplicates = after.reduce((n, m, i) => n + m.router.rejected.duplicate - before[i]!.router.rejected.duplicate, 0);
    expect(duplicates).toBeGreaterThan(0);
  });

  it('refuses at its root a confirm_deploy from a leaf, which goes no further (a leaf announces no deploys)', async () => {
    const before = (await metrics('root-1')).router.rejected.forbidden;
    const id = await originate('leaf-1-1', 'confirm_deploy', { topologyId: 'flood-from-leaf-1-1' });
    await waitFor(async () => (await metrics('root-1')).router.rejected.forbidden > before, { timeoutMs: 10_000, what: 'root-1 to refuse it' });
    // Time for it to travel, had root-1 sent it on.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await handledBy(id)).toEqual(['leaf-1-1']);
  });

  it("keeps a leaf's heartbeat with its root", async () => {
    const id = await originate('leaf-3-1', 'heartbeat', { state: 'pending', topologyId: null, intervalMs: 3_600_000 });
    await waitFor(async () => (await handledBy(id)).includes('root-3'), { timeoutMs: 10_000, what: 'root-3 to hear its leaf' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await handledBy(id)).toEqual(['leaf-3-1', 'root-3']);
  });

  it("takes a root's heartbeat to every root and no leaf", async () => {
    const id = await originate('root-1', 'heartbeat', { state: 'pending', topologyId: null, intervalMs: 3_600_000 });
    await waitFor(async () => (await handledBy(id)).length === 3, { timeoutMs: 10_000, what: 'the roots to hear root-1' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await handledBy(id)).toEqual(['root-1', 'root-2', 'root-3']);
  });
});
