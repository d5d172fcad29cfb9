// The flood benchmark's figures under attack: how long any root was wrongly reported down while a leaf flooded
// 30,000 signed messages, and the idle resident memory of an agent before and after a 20,000-connection attempt.
import { startCluster } from '../e2e/agent/agentCluster.ts';
import type { Cluster } from '../e2e/agent/agentCluster.ts';
import { floodAsNeighbour } from '../e2e/agent/adversarial/floodAsNeighbour.ts';
import { attemptConnections, loopbackSources } from '../e2e/agent/adversarial/connectionFlood.ts';
import { StatusSnapshotSchema } from '../src-shared/protocol/messages.ts';
import { agentApi } from '../src-shared/protocol/agentApi.ts';
import { procStatusBytes } from './procStatus.ts';

const ROOTS = ['root-1', 'root-2', 'root-3'];
const HEARTBEAT_MS = 1_000;
const POLL_MS = 100;

/** Three roots in a triangle, 1 s heartbeats; leaf-1-1, under root-1, is the attacker the harness plays. */
export async function attackCluster(bundle: string): Promise<Cluster> {
  const cluster = await startCluster({
    neighbours: new Map([
      ['root-1', ['root-2', 'root-3', 'leaf-1-1']],
      ['root-2', ['root-1', 'root-3']],
      ['root-3', ['root-1', 'root-2']],
      ['leaf-1-1', ['root-1']],
    ]),
    phantoms: ['leaf-1-1'],
    bundle,
    config: { heartbeatIntervalMs: HEARTBEAT_MS },
  });
  try {
    await cluster.allHeard(ROOTS);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/**
 * The longest stretch, in ms, that any root was reported down by any root while leaf-1-1 floods `messages` signed
 * messages into root-1 (and three heartbeat intervals after): 0 when none ever was.
 */
export async function falseDownMs(cluster: Cluster, messages = 30_000): Promise<{ falseDownMs: number; floodMs: number }> {
  const downSince = new Map<string, number>();
  let longest = 0;
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const t = Date.now();
      for (const observer of ROOTS) {
        const { nodes } = StatusSnapshotSchema.parse((await cluster.request(observer, 'GET', agentApi.status.path)).json);
        for (const { node, state } of nodes) {
          if (!ROOTS.includes(node)) continue;
          const key = `${node}@${observer}`;
          if (state === 'down') downSince.set(key, downSince.get(key) ?? t);
          else downSince.delete(key);
          const since = downSince.get(key);
          if (since !== undefined) longest = Math.max(longest, t - since + POLL_MS);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  try {
    const tally = await floodAsNeighbour(cluster, { as: 'leaf-1-1', to: 'root-1', messages, minDurationMs: 6 * HEARTBEAT_MS });
    await new Promise((resolve) => setTimeout(resolve, 3 * HEARTBEAT_MS));
    return { falseDownMs: longest, floodMs: tally.ms };
  } finally {
    watching = false;
    await watch;
  }
}

/** Settling time before an idle figure: past the agent's handshake and idle-connection deadlines, and a GC's pace. */
const IDLE_AFTER_MS = 15_000;

/**
 * root-1's idle resident memory, then `count` bare connections attempted at it from eight loopback addresses (none
 * 127.0.0.1, where the cluster's own traffic comes from), then its idle resident memory again.
 */
export async function rssAfterConnections(cluster: Cluster, count = 20_000): Promise<{ idleRssBytes: number; idleRssAfterConnectionsBytes: number; connectionsOpened: number }> {
  const agent = cluster.agents.get('root-1')!;
  const before = procStatusBytes(agent.process.pid!, 'VmRSS');
  const attack = await attemptConnections({ host: '127.0.0.1', port: agent.port, count, sources: loopbackSources(8), concurrency: 2_000 });
  await new Promise((resolve) => setTimeout(resolve, IDLE_AFTER_MS));
  return { idleRssBytes: before, idleRssAfterConnectionsBytes: procStatusBytes(agent.process.pid!, 'VmRSS'), connectionsOpened: attack.opened };
}
