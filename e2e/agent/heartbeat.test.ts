// Heartbeats between real agents: every root sees the others alive, and a root that stops is down after three intervals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusSnapshotSchema } from '../../src-shared/protocol/messages.ts';
import type { StatusSnapshot } from '../../src-shared/protocol/messages.ts';
import { waitFor } from '../lab/wait.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runBundle, startCluster } from './agentCluster.ts';
import type { Cluster } from './agentCluster.ts';
import { testBundle } from './testBundle.ts';

const INTERVAL_MS = 300;
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    neighbours: new Map([
      ['root-1', ['root-2', 'leaf-1-1']],
      ['root-2', ['root-1', 'root-3']],
      ['root-3', ['root-2']],
      ['leaf-1-1', ['root-1']],
    ]),
    bundle: await testBundle(),
    config: { heartbeatIntervalMs: INTERVAL_MS },
  });
});

afterAll(async () => {
  await cluster?.stop();
});

const status = async (node: string): Promise<StatusSnapshot> => StatusSnapshotSchema.parse((await cluster.request(node, 'GET', '/v1/status')).json);
const stateOf = (snapshot: StatusSnapshot) => Object.fromEntries(snapshot.nodes.map((n) => [n.node, n.state]));

describe('heartbeats', () => {
  it("shows every root alive at every root, and a root's leaf through its root", async () => {
    const expected = { 'root-1': 'pending', 'root-2': 'pending', 'root-3': 'pending', 'leaf-1-1': 'pending' };
    // Nothing is deployed yet, so every node reports `pending`; what matters is that each one is heard (not down). A
    // neighbour is pending before it is heard too, so being heard is told by its last heartbeat.
    const heardAll = (snapshot: StatusSnapshot) =>
      Object.entries(expected).every(([node, state]) => snapshot.nodes.some((n) => n.node === node && n.state === state && n.lastHeartbeat !== null));
    await waitFor(async () => heardAll(await status('root-3')), { timeoutMs: 10_000, what: 'root-3 to hear everyone' });
    const snapshot = await status('root-3');
    expect(snapshot.nodes.every((n) => n.lastHeartbeat !== null)).toBe(true);
  });

  it('reports a root down three intervals after it stopped, and the others still alive', async () => {
    await cluster.kill('root-3', true);
    const killedAt = Date.now();
    // At root-2, whose neighbour it is (so in its overlay); nothing is deployed, so root-1 knew root-3 only by hearing it.
    await waitFor(async () => stateOf(await status('root-2'))['root-3'] === 'down', { timeoutMs: 10_000, intervalMs: 50, what: 'root-3 down at root-2' });
    const after = Date.now() - killedAt;
    // Down means silent for three intervals: not before (give or take one interval of phase), and not much after.
    expect(after).toBeGreaterThanOrEqual(2 * INTERVAL_MS);
    expect(after).toBeLessThan(3 * INTERVAL_MS + 2_000);
    expect(stateOf(await status('root-2'))).toMatchObject({ 'root-1': 'pending', 'root-2': 'pending', 'leaf-1-1': 'pending' });
    await waitFor(async () => !('root-3' in stateOf(await status('root-1'))), { timeoutMs: 2_000, intervalMs: 50, what: 'root-1 to forget root-3, in no overlay it knows' });
    expect(stateOf(await status('root-1'))).toMatchObject({ 'root-1': 'pending', 'root-2': 'pending', 'leaf-1-1': 'pending' });
  });

  it('answers the CLI status command as the node itself', async () => {
    const agent = cluster.agents.get('root-2')!;
    // The harness's configuration files say port 0 (any free port); the command needs the port the agent got.
    const config = JSON.parse(readFileSync(agent.configFile, 'utf8')) as { listen: { port: number } };
    config.listen.port = agent.port;
    const configFile = path.join(cluster.dir, 'root-2-status.json');
    writeFileSync(configFile, JSON.stringify(config));
    const text = await runBundle(await testBundle(), ['status', '--config', configFile]);
    expect(text).toMatch(/status as seen by root-2/);
    expect(text).toMatch(/root-3\s+down/);
  });
});
