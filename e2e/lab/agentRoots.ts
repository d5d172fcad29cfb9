// Two roots as their agents run them in the lab: a namespace and charon each, the real deploy engine on a linux backend, and packages made the product's way.
//
// The path is the product's: topology → plan → keys → render → nodePartsFromRender → buildDeployPackage (secrets sealed to
// identity keys made here) → engine.receive. What the lab adapts, and why:
// - The engines and backends run in the test process, one per root, each on its own folder in the lab (`agent-root-1/etc`
//   stands for /etc/raincoat); every program the backend starts goes through `ip netns exec <root>` (backend.commandPrefix),
//   so OpenVPN and the forwarding switch act in the root's namespace.
// - Each root's charon is the lab's (kernel-libipsec, its own /run), started with nothing loaded; the backend loads it
//   through that charon's strongswan.conf and vici socket.
// Nothing else is set up by hand: IPv4 forwarding is off in the roots until the backend turns it on, and each root's overlay
// address exists only once the backend has started its OpenVPN uplink server (which it does before loading swanctl).
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { importOpeningKey, type OpeningKey } from '../../src-shared/crypto/seal.ts';
import { buildDeployPackage, type DeployPackage } from '../../src-shared/protocol/deployPackage.ts';
import { createDeployEngine, type DeployEngine } from '../../src-agent/deploy/deployEngine.ts';
import { DeployStateSchema } from '../../src-agent/deploy/deployState.ts';
import type { DeployStatus } from '../../src-shared/protocol/agentApi.ts';
import { systemClock } from '../../src-agent/clock.ts';
import { BackendConfigSchema, createBackend } from '../../src-agent/backends/createBackend.ts';
import { jsonStateFile } from '../../src-node/jsonStateFile.ts';
import { nodePartsFromRender } from '../../src-main/core/deploy/nodePartsFromRender.ts';
import { ensureOverlayKeys } from '../../src-main/core/pki/ensureOverlayKeys.ts';
import type { OverlayKeys } from '../../src-main/core/pki/keyTypes.ts';
import { renderRootFiles } from '../../src-main/core/render/renderNodeFiles.ts';
import type { RenderOptions } from '../../src-main/core/render/renderOptions.ts';
import type { Host } from './host.ts';
import { createLab } from './lab.ts';
import type { Lab } from './lab.ts';
import type { PingResult } from './ping.ts';
import { binary } from './run.ts';
import type { Charon } from './strongswan.ts';
import type { ChildSa } from '../../src-node/swanctlPretty.ts';
import { planTopology } from './topologyPlan.ts';

/** Two roots on the internet with their internet addresses on the box, and a tunnel between them. */
export const TWO_ROOTS = {
  roots: [
    { id: 1, name: 'cloud one', internetAddress: '192.0.2.1', overlay: '10.1.0.0/16', maxClients: 100, cloud: { provider: 'existing' } },
    { id: 2, name: 'cloud two', internetAddress: '192.0.2.2', overlay: '10.2.0.0/16', maxClients: 100, cloud: { provider: 'existing' } },
  ],
  tunnels: [{ a: 1, b: 2 }],
};
export type TwoRootsTopology = typeof TWO_ROOTS;
/** Its one tunnel, which root 1 (the lower id) keeps up. */
export const TUNNEL = 'tunnel-1-2';
export const ROOT_NAMES = ['root-1', 'root-2'] as const;
export type RootName = (typeof ROOT_NAMES)[number];
const INTERNET_ADDRESS: Record<RootName, string> = { 'root-1': '192.0.2.1', 'root-2': '192.0.2.2' };

/** A root as its agent sees it: its namespace and charon, the real deploy engine on a linux backend, and its identity key. */
export interface AgentRoot {
  name: RootName;
  host: Host;
  charon: Charon;
  /** The backend's folder: where /etc/raincoat would be. */
  baseDir: string;
  /** The backend's OpenVPN pid and log files. */
  runDir: string;
  engine: DeployEngine;
  statuses: DeployStatus[];
  identitySpki: Uint8Array;
}
export type AgentRoots = Record<RootName, AgentRoot>;

/** The identity key pair an agent makes on its node: P-256, the private half never leaving it. */
async function makeIdentity(): Promise<{ spki: Uint8Array; openingKey: OpeningKey }> {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    spki: pair.publicKey.export({ type: 'spki', format: 'der' }),
    openingKey: await importOpeningKey(pair.privateKey.export({ type: 'pkcs8', format: 'der' })),
  };
}

async function startAgentRoot(l: Lab, name: RootName, internet: Host, engines: DeployEngine[]): Promise<AgentRoot> {
  const host = await l.addHost(name);
  // Off, whatever the namespace took over from the host: turning it on is the backend's job.
  await host.setForwarding(false);
  await l.link(host, internet, { a: `${INTERNET_ADDRESS[name]}/24`, aIf: 'eth0' });
  const charon = await l.startCharon(host);
  const dir = join(l.dir, `agent-${name}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const baseDir = join(dir, 'etc');
  const runDir = join(dir, 'run');
  const backend = createBackend(
    BackendConfigSchema.parse({
      kind: 'linux',
      root: baseDir,
      runDir,
      commandPrefix: [binary('ip'), 'netns', 'exec', host.ns],
      openvpnBinary: binary('openvpn'),
      swanctl: { binary: binary('swanctl'), strongswanConf: charon.env.STRONGSWAN_CONF, uri: charon.viciUri },
    }),
    systemClock,
  );
  const identity = await makeIdentity();
  const statuses: DeployStatus[] = [];
  const engine = createDeployEngine({
    nodeName: name,
    backend,
    openingKey: identity.openingKey,
    store: jsonStateFile(join(dir, 'deploy-state.json'), DeployStateSchema),
    onStatus: (status) => statuses.push(status),
  });
  engines.push(engine);
  await engine.start();
  return { name, host, charon, baseDir, runDir, engine, statuses, identitySpki: identity.spki };
}

/**
 * Both roots on an internet switch, each with an empty charon and a started engine. Every engine is pushed to `engines`
 * as soon as it exists, so that the caller stops it even when a later step fails.
 */
export async function startAgentRoots(l: Lab, engines: DeployEngine[]): Promise<AgentRoots> {
  const internet = await l.addSwitch('internet');
  const [root1, root2] = await Promise.all(ROOT_NAMES.map((name) => startAgentRoot(l, name, internet, engines)));
  return { 'root-1': root1!, 'root-2': root2! };
}

export interface PackageOptions {
  topology?: TwoRootsTopology;
  /** Render options besides each root's folder, e.g. the hardening a deploy renders (OpenVPN's user, the agent's port). */
  render?: RenderOptions;
  /** Changes a rendered file, for a fault. */
  edit?: (root: RootName, path: string, content: string) => string;
  deadlineMs?: number;
}

/** What the application sends: the rendered roots of the topology, laid out for the linux backend, secrets sealed to each root. */
export async function makePackage(roots: AgentRoots, keys: OverlayKeys, topologyId: string, options: PackageOptions = {}): Promise<DeployPackage> {
  const { topology = TWO_ROOTS, edit = (_root, _path, content) => content } = options;
  const plan = planTopology(topology);
  const rendered = Object.fromEntries(
    ROOT_NAMES.map((name) => {
      const { baseDir } = roots[name];
      const files = renderRootFiles(plan, Number(name.slice('root-'.length)), keys, { ...options.render, baseDir }).map((f) => ({ ...f, content: edit(name, f.path, f.content) }));
      return [name, { files, baseDir }];
    }),
  );
  return buildDeployPackage({
    topologyId,
    createdAt: new Date().toISOString(),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    entryRootId: 1,
    nodes: nodePartsFromRender(rendered),
    identityKeys: Object.fromEntries(ROOT_NAMES.map((name) => [name, roots[name].identitySpki])),
  });
}

/** The overlay addresses answer across the tunnel both ways: the uplink servers hold them, IPsec carries them. */
export async function pingAcross(roots: AgentRoots, options: { deadlineMs?: number } = {}): Promise<PingResult> {
  const there = await roots['root-1'].host.ping('10.2.0.1', { source: '10.1.0.1', ...options });
  await roots['root-2'].host.ping('10.1.0.1', { source: '10.2.0.1', ...options });
  return there;
}

/** The tunnel's CHILD_SA as root 1 sees it, once it is installed. */
export async function childSa(roots: AgentRoots, options: { timeoutMs?: number } = {}): Promise<ChildSa> {
  return (await roots['root-1'].charon.waitForChildSa(TUNNEL, options)).child;
}

/**
 * The fixture of the lab files that run agent roots: the two-root overlay's keys, made once per file, and `start()`,
 * which makes a lab with its roots; the lab and its deploy engines are removed after each test, also when it failed.
 */
export function agentRootsFixture(): { keys(): OverlayKeys; start(): Promise<AgentRoots>; lab(): Lab } {
  let keys: OverlayKeys | undefined;
  let lab: Lab | undefined;
  const engines: DeployEngine[] = [];
  beforeAll(async () => {
    keys = await ensureOverlayKeys(planTopology(TWO_ROOTS), undefined, { clientsPerRoot: 1 });
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) engine.stop();
    try {
      await lab?.close();
    } finally {
      lab = undefined;
    }
  });
  return {
    keys: () => keys!,
    /** The lab of the running test, once started: for daemons of a test's own. */
    lab: () => lab!,
    async start() {
      lab = await createLab();
      return startAgentRoots(lab, engines);
    },
  };
}
