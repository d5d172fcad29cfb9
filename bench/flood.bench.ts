// Benchmark: 100 real agent processes on 127.0.0.1 with mutual TLS, joined as a realistic overlay (roots in a random
// connected graph, leaves under roots), 50 floods from random roots; plus the 5,000-node in-memory simulation; plus
// the figures under attack (bench/attackFigures.ts). `npm run bench -- flood --attack-only` runs only the last;
// AGENT_BUNDLE=<file> runs another build of the agent (an older one, to compare).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAgentBundle } from '../src-agent/build.ts';
import { randomOverlay, seededRandom } from '../src-agent/flood/overlayGraph.ts';
import { startCluster } from '../e2e/agent/agentCluster.ts';
import type { Cluster } from '../e2e/agent/agentCluster.ts';
import { shippedAgentRuntime } from '../e2e/agent/serviceUnit.ts';
import { median, percentile } from './stats.ts';
import { procStatusBytes } from './procStatus.ts';
import { attackCluster, falseDownMs, rssAfterConnections } from './attackFigures.ts';

const ROOTS = 20;
const LEAVES_PER_ROOT = 4;
const EXTRA_TUNNELS = 15;
const FLOODS = 50;
/** Between floods, so that each is timed on its own rather than queued behind the previous one. */
const SPACING_MS = 500;

interface Metrics {
  handled: Record<string, number>;
  router: { rejected: { duplicate: number } };
}

const random = seededRandom(2024);
const overlay = randomOverlay({ roots: ROOTS, leavesPerRoot: LEAVES_PER_ROOT, extraTunnels: EXTRA_TUNNELS, random });
const work = mkdtempSync(path.join(tmpdir(), 'flood-bench-'));
const { outfile, bytes: bundleBytes } = process.env.AGENT_BUNDLE ? { outfile: process.env.AGENT_BUNDLE, bytes: statSync(process.env.AGENT_BUNDLE).size } : await buildAgentBundle(path.join(work, 'raincoat-agent.mjs'));
console.log(`bundle: ${outfile}, ${bundleBytes} bytes; overlay: ${overlay.roots.length} roots, ${overlay.nodes.length} agents, ${overlay.links} links`);

if (process.argv.includes('--attack-only')) {
  try {
    console.log(JSON.stringify(await underAttack(outfile)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

let cluster: Cluster | undefined;
try {
  const started = Date.now();
  // Heartbeats are slowed to once an hour so that only the benchmark's floods are on the wire.
  // Agents run as the service unit starts them (resources/agent/raincoat-agent.service), unless told otherwise.
  const nodeArgs = process.env.AGENT_NODE_ARGS?.split(' ').filter(Boolean);
  const env = process.env.AGENT_ENV === undefined ? undefined : Object.fromEntries(process.env.AGENT_ENV.split(' ').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  console.log(`agents run with node ${(nodeArgs ?? shippedAgentRuntime().nodeArgs).join(' ')} and ${JSON.stringify(env ?? shippedAgentRuntime().env)}`);
  cluster = await startCluster({ neighbours: overlay.neighbours, bundle: outfile, config: { heartbeatIntervalMs: 3_600_000 }, startConcurrency: 4, nodeArgs, env });
  console.log(`${cluster.agents.size} agents started and joined in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const agents = [...cluster.agents.keys()];
  const c = cluster;
  const metricsOf = async (node: string) => (await c.request(node, 'GET', '/v1/test/metrics')).json as Metrics;
  const originate = async (node: string, topologyId: string) => {
    // confirm_deploy is the one type that every node, leaves included, takes and passes on (see forwardPolicy.ts); only
    // a root may originate it, as only a root may anything but its own heartbeat.
    const response = await c.request(node, 'POST', '/v1/test/originate', { type: 'confirm_deploy', body: { topologyId } });
    if (response.status !== 200) throw new Error(`originate at ${node}: ${response.status} ${JSON.stringify(response.json)}`);
    return (response.json as { id: string }).id;
  };

  // Warm-up, the steady state of a running overlay: one flood from every root opens the kept-alive TLS connections
  // and teaches every agent every origin's certificate, as heartbeats (slowed down here) would. Checking a certificate
  // seen for the first time against the control CA costs several times a message's own signature check.
  const roots = agents.filter((node) => node.startsWith('root-'));
  for (const [i, node] of roots.entries()) {
    await originate(node, `warm-${node}`);
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const before = await Promise.all(agents.map(metricsOf));
  const cpuBefore = agents.map((node) => cpuMs(c.agents.get(node)!.process.pid!));

  const floods: Array<{ id: string; origin: string }> = [];
  for (let i = 0; i < FLOODS; i++) {
    const origin = roots[Math.floor(random() * roots.length)]!;
    floods.push({ id: await originate(origin, `bench-${i}`), origin });
    await new Promise((r) => setTimeout(r, SPACING_MS));
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const after = await Promise.all(agents.map(metricsOf));
  const cpuPerFlood = agents.reduce((n, node, i) => n + cpuMs(c.agents.get(node)!.process.pid!) - cpuBefore[i]!, 0) / FLOODS;
  console.log(`CPU per flood, all agents together: ${cpuPerFlood.toFixed(1)} ms (${(cpuPerFlood / agents.length).toFixed(2)} ms per agent)`);

  const reach: number[] = [];
  const lastHandledMs: number[] = [];
  for (const { id, origin } of floods) {
    const times = after.map((m) => m.handled[id]).filter((t): t is number => t !== undefined);
    reach.push(times.length / agents.length);
    const start = after[agents.indexOf(origin)]!.handled[id]!;
    lastHandledMs.push(Math.max(...times) - start);
  }
  const duplicates = after.reduce((n, m, i) => n + m.router.rejected.duplicate - before[i]!.router.rejected.duplicate, 0);

  // Idle: nothing has been sent for a while. RSS as the kernel counts it (the Node binary's shared pages included).
  await new Promise((r) => setTimeout(r, 3_000));
  const rss = agents.map((node) => {
    const pid = cluster!.agents.get(node)!.process.pid!;
    return { node, rss: procStatusBytes(pid, 'VmRSS'), anon: procStatusBytes(pid, 'RssAnon') };
  });
  const idle = rss.find((r) => r.node === 'root-1')!;
  console.log(`idle root-1: RSS ${(idle.rss / 2 ** 20).toFixed(1)} MiB, of which private (anonymous) ${(idle.anon / 2 ** 20).toFixed(1)} MiB; median RSS over all agents ${(median(rss.map((r) => r.rss)) / 2 ** 20).toFixed(1)} MiB`);

  const sim = await simulationFigures();
  await cluster.stop();
  cluster = undefined;
  const attack = await underAttack(outfile);
  const figures = {
    reach: Math.min(...reach),
    medianMs: +median(lastHandledMs).toFixed(2),
    p95Ms: +percentile(lastHandledMs, 95).toFixed(2),
    duplicatesPerMessage: +(duplicates / FLOODS).toFixed(2),
    idleRssBytes: idle.rss,
    bundleBytes,
    ...sim,
    ...attack,
  };
  console.log(`${FLOODS} floods over ${agents.length} agents: reach min ${figures.reach}, until the last agent handled it median ${figures.medianMs} ms, p95 ${figures.p95Ms} ms (target median < 50 ms); ${figures.duplicatesPerMessage} duplicate deliveries per flood (${overlay.links} links, ${agents.length - 1} needed)`);
  console.log(JSON.stringify(figures));
} finally {
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
}

/** The figures under attack, on a cluster of their own (bench/attackFigures.ts). */
async function underAttack(bundle: string): Promise<{ falseDownMs: number; attackFloodMs: number; idleRssBeforeConnectionsBytes: number; idleRssAfterConnectionsBytes: number }> {
  const attacked = await attackCluster(bundle);
  try {
    const flood = await falseDownMs(attacked);
    console.log(`a leaf flooded 30,000 signed messages into root-1 for ${flood.floodMs} ms: the longest any root was reported down was ${flood.falseDownMs} ms (target 0)`);
    const connections = await rssAfterConnections(attacked);
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    console.log(`20,000 bare connections attempted at root-1 (${connections.connectionsOpened} opened): idle RSS ${mib(connections.idleRssBytes)} MiB before, ${mib(connections.idleRssAfterConnectionsBytes)} MiB after`);
    return { falseDownMs: flood.falseDownMs, attackFloodMs: flood.floodMs, idleRssBeforeConnectionsBytes: connections.idleRssBytes, idleRssAfterConnectionsBytes: connections.idleRssAfterConnectionsBytes };
  } finally {
    await attacked.stop();
  }
}

/** User plus system CPU time a process has used, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The router on an in-memory transport with 5,000 nodes (bench/floodSim.ts). */
async function simulationFigures(): Promise<{ simMessagesPerFlood: number | null; simMinimumPerFlood: number | null; simSeenSetBytes: number | null }> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'floodSim.ts');
  if (!existsSync(file)) {
    console.log('bench/floodSim.ts is not there yet: the simulation figures are null');
    return { simMessagesPerFlood: null, simMinimumPerFlood: null, simSeenSetBytes: null };
  }
  const { runFloodSimulation } = (await import(file)) as { runFloodSimulation: (options?: object) => Promise<Record<string, number>> | Record<string, number> };
  const result = await runFloodSimulation({});
  return { simMessagesPerFlood: result.simMessagesPerFlood!, simMinimumPerFlood: result.simMinimumPerFlood!, simSeenSetBytes: result.simSeenSetBytes! };
}
