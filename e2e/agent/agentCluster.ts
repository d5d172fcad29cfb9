// Real agent processes on 127.0.0.1 for integration tests and the flood benchmark: enrolled with a control CA,
// started from the one-file bundle on ephemeral ports, joined as an overlay, and always stopped and removed.
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createAgentClient } from '../../src-main/core/agentClient/agentClient.ts';
import type { AgentClient, AgentMethods } from '../../src-main/core/agentClient/agentClient.ts';
import { createHttpsTransport } from '../../src-main/core/agentClient/httpsTransport.ts';
import { createCa } from '../../src-main/core/pki/issueCertificate.ts';
import { signCsr } from '../../src-node/x509/signCsr.ts';
import type { CaMaterial } from '../../src-main/core/pki/keyTypes.ts';
import { identityCsr, installIdentityCertificate } from '../../src-agent/identity/identityStore.ts';
import { createPeerClient } from '../../src-agent/wire/peerClient.ts';
import type { PeerClient, PeerResponse } from '../../src-agent/wire/peerClient.ts';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { onProcessEnd } from '../lab/exitCleanup.ts';
import { waitFor } from '../lab/wait.ts';
import { shippedAgentRuntime } from './serviceUnit.ts';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import { StatusSnapshotSchema } from '../../src-shared/protocol/messages.ts';

/** Three roots in a chain (root-1 – root-2 – root-3): root-1 and root-3 hear of each other only through root-2. */
export const THREE_ROOT_CHAIN: ReadonlyMap<string, readonly string[]> = new Map([
  ['root-1', ['root-2']],
  ['root-2', ['root-1', 'root-3']],
  ['root-3', ['root-2']],
]);

/** One agent, root-1, whose only neighbour root-2 is a phantom the test plays itself (see `phantoms`). */
export const ROOT_WITH_PHANTOM_PEER = {
  neighbours: new Map([
    ['root-1', ['root-2']],
    ['root-2', ['root-1']],
  ]) as ReadonlyMap<string, readonly string[]>,
  phantoms: ['root-2'],
};

export interface ClusterOptions {
  /** Every node and its neighbours (symmetric), e.g. from randomOverlay. */
  neighbours: ReadonlyMap<string, readonly string[]>;
  /** The bundled agent to run. */
  bundle: string;
  /** Extra configuration for every agent (heartbeatIntervalMs, backend, …). */
  config?: Record<string, unknown>;
  /** Node options and environment for the agents; by default those of the shipped service unit (serviceUnit.ts). */
  nodeArgs?: readonly string[];
  env?: Record<string, string>;
  /** How many agents start at once (each costs a Node start-up). */
  startConcurrency?: number;
  /** Enroll through the agent's own CLI (csr, install-cert) rather than in-process. */
  enrollWithCli?: boolean;
  /** Configuration for one agent on top of the rest (a backend of its own, …). */
  configFor?: (node: string, dataDir: string) => Record<string, unknown>;
  /**
   * Nodes in `neighbours` that the harness plays itself instead of starting an agent: it holds their identity
   * (see `phantoms`), and the agents list them at an address where nothing listens.
   */
  phantoms?: readonly string[];
}

export interface PhantomIdentity {
  certPem: string;
  keyPem: string;
}

export interface ClusterAgent {
  node: string;
  dataDir: string;
  configFile: string;
  port: number;
  url: string;
  process: ChildProcess;
  /** Every line the agent wrote to stdout and stderr so far. */
  output: string[];
}

export interface Cluster {
  dir: string;
  controlCa: CaMaterial;
  agents: Map<string, ClusterAgent>;
  phantoms: Map<string, PhantomIdentity>;
  /** The application's requests to an agent (its agent client), with a session's token when given. */
  app(node: string, session?: string): AgentMethods;
  /** A request as a node: the harness's own control-CA certificate, for the routes of nodes and tests. */
  request(node: string, method: 'GET' | 'POST', path: string, json?: unknown): Promise<PeerResponse & { json: unknown }>;
  /** The nodes `node` has had a heartbeat from (a node only listed, still pending, is not one), from its status. */
  heardBy(node: string): Promise<string[]>;
  /**
   * Waits until each of `roots` has had a heartbeat from every one of them: a login waits for every live root, and a
   * root refuses the default password until it has heard every root it knows (one only listed, pending, is not enough).
   */
  allHeard(roots: readonly string[], timeoutMs?: number): Promise<void>;
  /** Requests as a given client certificate (for refusal tests). */
  clientAs(certPem: string, keyPem: string): PeerClient;
  /** Stops one agent (SIGKILL when `hard`), leaving the others running. */
  kill(node: string, hard?: boolean): Promise<void>;
  /** Stops one agent and starts it again with its data, port and neighbours, as a service restart would. */
  restart(node: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'raincoat-agents-'));
  const runtime = shippedAgentRuntime();
  const agents = new Map<string, ClusterAgent>();
  const processes = new Set<ChildProcess>();
  const killAll = () => {
    for (const child of processes) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const unregister = onProcessEnd(() => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  });
  const controlCa = createCa('raincoat control CA (test)');
  const harnessKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const harnessCert = signCsr(controlCa, createCsr('harness', harnessKey), 'peer').certPem;
  const harnessKeyPem = harnessKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const clientAs = (certPem: string, keyPem: string) =>
    createPeerClient({ keyPem, certPem, caPem: controlCa.certPem, timeoutMs: 15_000, defaultMaxBytes: 64 * 1024 * 1024 });
  const harness = clientAs(harnessCert, harnessKeyPem);
  const appClients = new Map<string, AgentClient>();
  const phantoms = new Map<string, PhantomIdentity>();
  for (const node of options.phantoms ?? []) {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    phantoms.set(node, { certPem: signCsr(controlCa, createCsr(node, key), 'peer').certPem, keyPem: key.export({ format: 'pem', type: 'pkcs8' }) as string });
  }

  const cluster: Cluster = {
    dir,
    controlCa,
    agents,
    phantoms,
    app(node, session) {
      let client = appClients.get(node);
      if (!client) {
        const agent = agents.get(node);
        if (!agent) throw new Error(`no agent ${node}`);
        client = createAgentClient(createHttpsTransport({ node, url: agent.url, caPem: controlCa.certPem }));
        appClients.set(node, client);
      }
      return session === undefined ? client.api : client.withSession(session);
    },
    async request(node, method, requestPath, json) {
      const agent = agents.get(node);
      if (!agent) throw new Error(`no agent ${node}`);
      const response = await harness.request({ node, url: agent.url }, method, requestPath, json);
      const text = response.body.toString('utf8');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { ...response, json: parsed };
    },
    async heardBy(node) {
      const { nodes } = StatusSnapshotSchema.parse((await this.request(node, 'GET', agentApi.status.path)).json);
      return nodes.filter((n) => n.lastHeartbeat !== null).map((n) => n.node);
    },
    async allHeard(roots, timeoutMs = 15_000) {
      for (const root of roots) {
        await waitFor(async () => {
          const heard = await cluster.heardBy(root);
          return roots.every((other) => heard.includes(other));
        }, { timeoutMs, what: `${root} to hear every root` });
      }
    },
    clientAs,
    async kill(node, hard = false) {
      const agent = agents.get(node);
      if (!agent || agent.process.exitCode !== null || agent.process.signalCode !== null) return;
      const exited = new Promise((resolve) => agent.process.once('exit', resolve));
      agent.process.kill(hard ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => agent.process.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async restart(node) {
      const agent = agents.get(node);
      if (!agent) throw new Error(`no agent ${node}`);
      await cluster.kill(node);
      // The same port, so that the other agents' configurations still point at it.
      writeConfig(agent, options.neighbours.get(node) ?? [], agent.port);
      await spawnAgent(node, agent.dataDir, agent.configFile);
    },
    async stop() {
      harness.close();
      for (const client of appClients.values()) client.close();
      await Promise.all([...agents.keys()].map((node) => cluster.kill(node).catch(() => undefined)));
      killAll();
      rmSync(dir, { recursive: true, force: true });
      unregister();
    },
  };

  try {
    const nodes = [...options.neighbours.keys()].filter((node) => !phantoms.has(node));
    const concurrency = options.startConcurrency ?? 8;
    for (let i = 0; i < nodes.length; i += concurrency) {
      await Promise.all(nodes.slice(i, i + concurrency).map((node) => startOne(node)));
    }
    // Every port is known now: give each agent its neighbours' addresses and have it re-read its configuration.
    for (const agent of agents.values()) {
      writeConfig(agent, options.neighbours.get(agent.node) ?? []);
      process.kill(agent.process.pid!, 'SIGHUP');
    }
    await Promise.all([...agents.values()].map((agent) => waitFor(() => agent.output.some((l) => l.includes('"event":"reloaded"')), { timeoutMs: 20_000, what: `${agent.node} to reload` })));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;

  /** The node's name also as a DNS name, so that ordinary TLS clients (curl in a VM's first-boot script) can check it. */
  function certify(csr: string, node: string): string {
    return signCsr(controlCa, csr, 'peer', { altNames: [{ type: 'dns', value: node }] }).certPem;
  }

  function baseConfig(node: string, dataDir: string, neighbours: unknown[]) {
    return {
      node,
      listen: { host: '127.0.0.1', port: 0 },
      dataDir,
      backend: { kind: 'dry-run', dir: path.join(dataDir, 'dry-run') },
      testing: true,
      neighbours,
      ...options.config,
      ...options.configFor?.(node, dataDir),
    };
  }

  function writeConfig(agent: ClusterAgent, neighbours: readonly string[], port = 0) {
    // Port 1 on loopback: nothing listens there, so whatever is sent to a phantom is refused at once.
    const list = neighbours.map((n) => ({ node: n, url: agents.get(n)?.url ?? 'https://127.0.0.1:1' }));
    // The port stays 0 in the file unless given: a reload changes only the neighbours, and the agent keeps the port it has.
    const config = baseConfig(agent.node, agent.dataDir, list);
    writeFileSync(agent.configFile, JSON.stringify(port === 0 ? config : { ...config, listen: { ...config.listen, port } }, null, 1));
  }

  async function startOne(node: string): Promise<void> {
    const dataDir = path.join(dir, node);
    const configFile = path.join(dir, `${node}.json`);
    writeFileSync(configFile, JSON.stringify(baseConfig(node, dataDir, []), null, 1));
    await enroll(node, dataDir, configFile);
    await spawnAgent(node, dataDir, configFile);
  }

  async function spawnAgent(node: string, dataDir: string, configFile: string): Promise<void> {
    // In the harness's process group, so that whatever stops the harness's group stops its agents too; and with
    // `testing` on, an agent whose parent is gone stops by itself (a harness killed outright cleans up nothing).
    const child = spawn(process.execPath, [...(options.nodeArgs ?? runtime.nodeArgs), options.bundle, 'start', '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(options.env ?? runtime.env) },
    });
    processes.add(child);
    const output: string[] = [];
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => output.push(line));
    const port = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`${node} exited (${child.exitCode}):\n${output.join('\n')}`);
        const line = output.find((l) => l.includes('"event":"listening"'));
        return line ? (JSON.parse(line) as { port: number }).port : undefined;
      },
      { timeoutMs: 30_000, what: `${node} to listen` },
    );
    agents.set(node, { node, dataDir, configFile, port, url: `https://127.0.0.1:${port}`, process: child, output });
  }

  async function enroll(node: string, dataDir: string, configFile: string): Promise<void> {
    if (!options.enrollWithCli) {
      await installIdentityCertificate(dataDir, node, certify(await identityCsr(dataDir, node), node), controlCa.certPem);
      return;
    }
    const csr = await runBundle(options.bundle, ['csr', '--config', configFile]);
    const certFile = path.join(dir, `${node}.crt`);
    const caFile = path.join(dir, 'control-ca.crt');
    writeFileSync(certFile, certify(csr, node));
    writeFileSync(caFile, controlCa.certPem);
    await runBundle(options.bundle, ['install-cert', '--config', configFile, '--cert', certFile, '--ca', caFile]);
  }
}

/** Runs the bundle's CLI to completion; rejects with its stderr on a non-zero exit. */
export function runBundle(bundle: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))));
  });
}
