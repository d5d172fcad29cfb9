// Benchmark: the deploy core against real agents on 127.0.0.1 (dry-run backend), 50 roots with 4 leaves each (250 agent
// processes, started as agentCluster starts them until the sandbox hosts them in one process). Times a first deploy and
// a second that adds one tunnel, from the deploy's start to every node reporting its topology, counts the nodes whose
// files the second one rewrote, and the agents' resident memory. ROOTS=10 for a quicker run.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAgentBundle } from '../src-agent/build.ts';
import { startCluster } from '../e2e/agent/agentCluster.ts';
import type { Cluster } from '../e2e/agent/agentCluster.ts';
import type { OverlayAccess } from '../src-shared/overlay/overlayAccess.ts';
import { leafNodeName, rootNodeName } from '../src-shared/plan/nodeNames.ts';
import { leafCount } from '../src-shared/plan/planAddresses.ts';
import { runDeploy } from '../src-main/core/deployRun/runDeploy.ts';
import type { DeployEvent } from '../src-main/core/deployRun/runDeploy.ts';
import { nodeClient } from '../src-main/core/overlayAccess/nodeClient.ts';
import { createUnlocker } from '../src-main/core/secrets/unlocker.ts';
import { awaitedTimers } from '../src-main/core/agentClient/timers.ts';
import { login } from '../src-main/core/session/login.ts';
import type { Session } from '../src-main/core/session/session.ts';
import { procStatusBytes } from './procStatus.ts';
import { syntheticTopology } from './topologies.ts';
import type { RawTopology } from './topologies.ts';

const ROOTS = Number(process.env.ROOTS ?? 50);
const LEAVES_PER_ROOT = 4;
const HEARTBEAT_MS = 1_000;
const PASSWORD = 'deploy benchmark password';

const topology = syntheticTopology(ROOTS, Math.round(ROOTS * 1.5), LEAVES_PER_ROOT * 100);
/** The second deploy's one change: a tunnel between two roots that have none. */
const added = newTunnel(topology);
const changed: RawTopology = { roots: topology.roots, tunnels: [...topology.tunnels, added] };

const work = mkdtempSync(path.join(tmpdir(), 'deploy-bench-'));
let cluster: Cluster | undefined;
let session: Session | undefined;
try {
  const { outfile } = await buildAgentBundle(path.join(work, 'raincoat-agent.mjs'));
  const started = Date.now();
  cluster = await startCluster({ neighbours: neighboursOf(changed), bundle: outfile, config: { heartbeatIntervalMs: HEARTBEAT_MS }, startConcurrency: 8 });
  console.log(`${cluster.agents.size} agents (${ROOTS} roots, ${LEAVES_PER_ROOT} leaves each) started in ${((Date.now() - started) / 1000).toFixed(1)} s; heartbeats every ${HEARTBEAT_MS} ms`);
  const access = accessOf(cluster);
  session = await firstLogin(access);

  // As one application run: the keys' passphrase once (its scrypt counts in the first deploy), the vault open after.
  const secrets = createUnlocker({ passphrase: async () => ({ ok: true, passphrase: 'the benchmark passphrase', from: 'of the benchmark' }), notice: console.log });
  const deploy = async (what: RawTopology, label: string) => {
    const start = Date.now();
    let last = start;
    let postedAt = start;
    const outcomes: DeployEvent[] = [];
    const reported: number[] = [];
    const outcome = await runDeploy({
      access,
      entry: session!.api,
      topology: what,
      stateDir: path.join(work, 'state'),
      secrets,
      clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      approve: async () => true,
      onEvent: (event) => {
        if (event.kind === 'plan') console.log(`${label}: planned in ${Date.now() - start} ms`);
        if (event.kind === 'posted') {
          postedAt = Date.now();
          console.log(`${label}: posted in ${postedAt - start} ms`);
        }
        if (event.kind !== 'node') return;
        last = Date.now();
        reported.push(last - postedAt);
        outcomes.push(event);
      },
      followMs: 120_000,
    });
    const applied = outcomes.filter((e) => e.kind === 'node' && e.outcome === 'applied').length;
    if (outcome.kind !== 'followed' || applied !== cluster!.agents.size) throw new Error(`${label}: ${applied} of ${cluster!.agents.size} nodes applied: ${JSON.stringify(outcome).slice(0, 2000)}`);
    const at = (q: number) => reported[Math.min(reported.length - 1, Math.floor(q * reported.length))];
    console.log(`${label}: every node reports it ${last - start} ms after the start (after the post: first ${at(0)}, median ${at(0.5)}, last ${at(1)} ms)`);
    return last - start;
  };

  const firstDeployMs = await deploy(topology, 'first deploy');
  const before = filesOf(cluster);
  const oneTunnelChangeMs = await deploy(changed, `one tunnel added (${added.a}-${added.b})`);
  const after = filesOf(cluster);
  const reapplied = [...after].filter(([node, files]) => before.get(node) !== files).map(([node]) => node);
  console.log(`re-applied: ${reapplied.join(', ')}`);
  const rss = [...cluster.agents.values()].map((a) => procStatusBytes(a.process.pid!, 'VmRSS'));
  const rssPerAgentBytes = Math.round(rss.reduce((a, b) => a + b, 0) / rss.length);
  console.log(JSON.stringify({ firstDeployMs, oneTunnelChangeMs, nodesReapplied: reapplied.length, rssPerAgentBytes }));
} finally {
  await session?.logout();
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
}

/** Every root's tunnel peers and leaves, every leaf's root: whom each agent's configuration lists, with its address. */
function neighboursOf(t: RawTopology): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const root of t.roots) {
    const leaves = Array.from({ length: leafCount(root.maxClients) }, (_, i) => leafNodeName(root.id, i + 1));
    map.set(rootNodeName(root.id), leaves);
    for (const leaf of leaves) map.set(leaf, [rootNodeName(root.id)]);
  }
  for (const { a, b } of t.tunnels) {
    map.get(rootNodeName(a))!.push(rootNodeName(b));
    map.get(rootNodeName(b))!.push(rootNodeName(a));
  }
  return map;
}

function newTunnel(t: RawTopology): { a: number; b: number } {
  const has = new Set(t.tunnels.map(({ a, b }) => `${Math.min(a, b)}-${Math.max(a, b)}`));
  for (let a = 1; a <= t.roots.length; a++) for (let b = a + 1; b <= t.roots.length; b++) if (!has.has(`${a}-${b}`)) return { a, b };
  throw new Error('every pair of roots has a tunnel already');
}

function accessOf(c: Cluster): OverlayAccess {
  const nodes = Object.fromEntries(
    [...c.agents.values()].map((a) => [a.node, { url: a.url, certPem: readFileSync(path.join(a.dataDir, 'identity', 'cert.pem'), 'utf8'), backend: 'dry-run' as const }]),
  );
  return { version: 1, name: 'deploy-bench', entry: 'root-1', controlCaPem: c.controlCa.certPem, nodes };
}

/** The default password is taken once root-1 heard every root it knows of; the first login sets a new one. */
async function firstLogin(access: OverlayAccess): Promise<Session> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const result = await login(access, { user: 'administrator', password: 'makeitrain', newPassword: PASSWORD }, { client: nodeClient(access, access.entry, { timers: awaitedTimers }), timers: awaitedTimers });
    if (result.ok) return result.session;
    if (result.code !== 'unavailable' || Date.now() > deadline) throw new Error(`login: ${result.code}: ${result.message}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Per node, its dry-run files' sizes and modification times in one string: a node that rewrote anything has another. */
function filesOf(c: Cluster): Map<string, string> {
  return new Map(
    [...c.agents.values()].map((a) => {
      const root = path.join(a.dataDir, 'dry-run');
      const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      const stamp = (file: string) => `${path.relative(root, file)}:${statSync(file).size}:${statSync(file).mtimeMs}`;
      return [a.node, files.map((e) => stamp(path.join(e.parentPath, e.name))).sort().join(' ')];
    }),
  );
}
