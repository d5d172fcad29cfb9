// Benchmark: the deploy core against the sandbox (raincoat sandbox up): 50 roots with 4 leaves each, 250 real agents
// on 127.0.0.1 in one host process, dry-run backend. Times a first deploy and a second that changes one tunnel (its
// pre-shared key rotated: with routing through roots, adding or removing a tunnel changes what the tunnels on the paths
// it shortens or lengthens carry, so that is no one-tunnel change), from the deploy's start to every node reporting its
// topology, counts the nodes whose files the second one rewrote, and the
// host's resident memory per agent; a deploy that not every node reported within its wait times as null, with how many did
// not (nodesNotReporting). ROOTS=10 for a quicker run; PROFILE_DIR=DIR for the host's CPU profiles (of an agent bundle
// not minified, so that they name functions); KEEP=1 keeps the
// sandbox's folder (its agents' logs) and says where; PAUSE_MS=N waits N ms between the two deploys (an overlay at rest).
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAgentBundle } from '../src-agent/build.ts';
import type { OverlayAccess } from '../src-shared/overlay/overlayAccess.ts';
import { SANDBOX_FILES } from '../src-shared/sandbox/sandboxControl.ts';
import { runDeploy } from '../src-main/core/deployRun/runDeploy.ts';
import type { DeployEvent } from '../src-main/core/deployRun/runDeploy.ts';
import { nodeClient } from '../src-main/core/overlayAccess/nodeClient.ts';
import { exitWithin } from '../src-main/core/sandbox/hostProcess.ts';
import { sandboxDown } from '../src-main/core/sandbox/sandboxControl.ts';
import { sandboxUp } from '../src-main/core/sandbox/sandboxUp.ts';
import { SANDBOX_HEARTBEAT_MS } from '../src-main/core/sandbox/sandboxSpec.ts';
import { rotateTunnelPsk } from '../src-main/core/keyHygiene/rotateTunnelPsk.ts';
import { createUnlocker } from '../src-main/core/secrets/unlocker.ts';
import { awaitedTimers } from '../src-main/core/agentClient/timers.ts';
import { login } from '../src-main/core/session/login.ts';
import type { Session } from '../src-main/core/session/session.ts';
import { procStatusBytes } from './procStatus.ts';
import { syntheticTopology } from './topologies.ts';
import type { RawTopology } from './topologies.ts';

const ROOTS = Number(process.env.ROOTS ?? 50);
const PAUSE_MS = Number(process.env.PAUSE_MS ?? 0);
const LEAVES_PER_ROOT = 4;
// The sandbox's own heartbeat: a node beats at once when its deploy status changes, whatever the interval.
const HEARTBEAT_MS = SANDBOX_HEARTBEAT_MS;

const topology = syntheticTopology(ROOTS, Math.round(ROOTS * 1.5), LEAVES_PER_ROOT * 100);
/** The second deploy's one change: the first tunnel's key. */
const rotated = topology.tunnels[0]!;

const work = mkdtempSync(path.join(tmpdir(), 'deploy-bench-'));
const dir = path.join(work, 'sandbox');
const stateDir = path.join(work, 'state');
if (process.env.KEEP) console.log(`the sandbox's folder is kept: ${work}`);
/** Where the host writes its CPU profiles (one per thread), when asked. */
const profileArgs = process.env.PROFILE_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] } : {};
let session: Session | undefined;
let hostPid: number | undefined;
try {
  const { outfile } = await buildAgentBundle(path.join(work, 'raincoat-agent.mjs'), { readable: Boolean(process.env.PROFILE_DIR) });
  const up = await sandboxUp({ dir, topology, bundle: outfile, ...profileArgs, heartbeatIntervalMs: HEARTBEAT_MS, progress: () => undefined });
  hostPid = up.hostPid;
  const agents = Object.keys(up.access.nodes).length;
  console.log(`sandbox of ${agents} agents (${ROOTS} roots, ${LEAVES_PER_ROOT} leaves each) up in ${(up.ms / 1000).toFixed(1)} s; heartbeats every ${HEARTBEAT_MS} ms`);
  const access = up.access;
  session = await logIn(access, up.password);

  // As one application run: the keys' passphrase once (its scrypt counts in the first deploy), the vault open after.
  const secrets = createUnlocker({ passphrase: async () => ({ ok: true, passphrase: 'the benchmark passphrase', from: 'of the benchmark' }), notice: console.log });
  /** By deploy, how many nodes did not report it within the wait. */
  const notReporting: Record<string, number> = {};
  const deploy = async (what: RawTopology, label: string): Promise<number | null> => {
    const start = Date.now();
    let last = start;
    let postedAt = start;
    const outcomes: DeployEvent[] = [];
    const reported: number[] = [];
    const outcome = await runDeploy({
      access,
      entry: session!.api,
      topology: what,
      stateDir,
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
    if (outcome.kind !== 'followed') throw new Error(`${label}: ${JSON.stringify(outcome).slice(0, 2000)}`);
    notReporting[label] = agents - applied;
    if (applied !== agents) {
      // Not every node reported within the wait: there is no time to every node; the figures say so with null.
      const { failed, unreachable, notConfirmed } = outcome.summary;
      console.log(`${label}: ${applied} of ${agents} nodes applied after ${Date.now() - start} ms; ${JSON.stringify({ failed, unreachable, notConfirmed }).slice(0, 3000)}`);
      return null;
    }
    const at = (q: number) => reported[Math.min(reported.length - 1, Math.floor(q * reported.length))];
    console.log(`${label}: every node reports it ${last - start} ms after the start (after the post: first ${at(0)}, median ${at(0.5)}, last ${at(1)} ms)`);
    return last - start;
  };

  const firstDeployMs = await deploy(topology, 'first deploy');
  const before = filesOf(access);
  // The second deploy follows the first at once, as its administrator state still spreads to every root, unless asked to wait.
  if (PAUSE_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  const rotation = await rotateTunnelPsk({ stateDir, secrets }, rotated.a, rotated.b);
  if (!rotation.ok) throw new Error(`rotate-psk: ${rotation.reason}`);
  const oneTunnelChangeMs = await deploy(topology, `one tunnel changed (${rotation.result.tunnel}'s key rotated)`);
  const after = filesOf(access);
  const reapplied = [...after].filter(([node, files]) => before.get(node) !== files).map(([node]) => node);
  console.log(`re-applied: ${reapplied.join(', ')}`);
  // Every agent runs in the sandbox's one host process (in its threads beyond the first few dozen).
  const rssPerAgentBytes = Math.round(procStatusBytes(up.hostPid, 'VmRSS') / agents);
  console.log(JSON.stringify({ firstDeployMs, oneTunnelChangeMs, nodesReapplied: reapplied.length, rssPerAgentBytes, nodesNotReporting: notReporting }));
} finally {
  await session?.logout();
  // A profiled host writes its profiles as it ends by itself (SIGTERM: its agents stop, its threads write their
  // profiles): it is given up to 3 minutes, however loaded.
  if (process.env.PROFILE_DIR && hostPid !== undefined) {
    process.kill(hostPid, 'SIGTERM');
    await exitWithin(hostPid, 180_000);
  }
  await sandboxDown(dir);
  if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
}

/** The sandbox's administrator, with the password it was made with. */
async function logIn(access: OverlayAccess, password: string): Promise<Session> {
  const result = await login(access, { user: 'administrator', password }, { client: nodeClient(access, access.entry, { timers: awaitedTimers }), timers: awaitedTimers });
  if (!result.ok) throw new Error(`login: ${result.code}: ${result.message}`);
  return result.session;
}

/** Per node, its dry-run files' sizes and modification times in one string: a node that rewrote anything has another. */
function filesOf(access: OverlayAccess): Map<string, string> {
  return new Map(
    Object.keys(access.nodes).map((node) => {
      const root = path.join(dir, SANDBOX_FILES.nodes, node, 'dry-run');
      // A node that never applied anything has no files yet.
      const files = existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
      const stamp = (file: string) => `${path.relative(root, file)}:${statSync(file).size}:${statSync(file).mtimeMs}`;
      return [node, files.map((e) => stamp(path.join(e.parentPath, e.name))).sort().join(' ')];
    }),
  );
}
