// The sandbox host's nodes: every agent of the sandbox overlay in this one process, enrolled, started, stopped and
// started again on request, and the overlay's status as one of its roots sees it. The control channel serves this;
// what does not fit the host's state is refused (Refusal), as the agent refuses.
import type { HostNode, HostNodes, HostView, ProcessState, SandboxSpec } from '../../src-shared/sandbox/sandboxControl.ts';
import type { StatusSnapshot } from '../../src-shared/protocol/messages.ts';
import type { RunningAgent } from '../agent.ts';
import type { AgentLog } from '../agentLog.ts';
import type { Clock } from '../clock.ts';
import type { AgentConfig } from '../config/agentConfig.ts';
import { identityCsr, installIdentityCertificate } from '../identity/identityStore.ts';
import { Refusal } from '../wire/refusal.ts';
import { nodeDataDir, sandboxAgentConfig, sandboxNodes } from './sandboxNodes.ts';
import type { SandboxNode } from './sandboxNodes.ts';

/** A port kept taken while its node is stopped (see holdPort.ts). */
export interface PortHold {
  release(): Promise<void>;
}

/** Small sandboxes need no spreading (their beats are few): they start within a fraction of a second. */
const MAX_START_APART_MS = 20;

export interface SandboxHostOptions {
  dir: string;
  clock: Pick<Clock, 'sleep'>;
  spec: SandboxSpec;
  /** Runs the node's agent (its log is the runner's business). */
  startAgent(config: AgentConfig): Promise<RunningAgent>;
  /** The host's own events. */
  log: AgentLog;
  holdPort(port: number): Promise<PortHold>;
  /** Asks the agent of `node` at `port`, as that node, for the status it holds of every node. */
  askStatus(node: string, port: number): Promise<StatusSnapshot>;
}

export interface SandboxHost {
  nodes(): HostNodes;
  /** Makes each node's identity key where it is kept (once) and answers its certification request. */
  csrs(): Promise<Record<string, string>>;
  /** Installs every node's certificate, then starts the agents in the background (see `nodes` for how far they got). */
  enroll(controlCaPem: string, certs: Readonly<Record<string, string>>): Promise<HostNodes>;
  stop(node: string): Promise<HostNode>;
  start(node: string): Promise<HostNode>;
  view(): Promise<HostView>;
  /** Stops every agent; the host is of no further use. */
  down(): Promise<void>;
  /** These nodes' agents are gone (their thread ended under them): they count as failed, and may be started again. */
  lost(nodes: readonly string[], reason: string): void;
}

interface Entry extends SandboxNode {
  port: number | null;
  process: ProcessState;
  reason?: string;
  agent?: RunningAgent;
  hold?: PortHold;
}

export function createSandboxHost(options: SandboxHostOptions): SandboxHost {
  const { dir, spec, log } = options;
  const entries = new Map<string, Entry>(sandboxNodes(spec.topology).map((n) => [n.node, { ...n, port: null, process: 'stopped' }]));
  let phase: HostNodes['phase'] = 'enrolling';
  let starting: Promise<void> = Promise.resolve();

  const ports = () => new Map([...entries.values()].flatMap((e) => (e.port === null ? [] : [[e.node, e.port] as const])));
  const summary = (e: Entry): HostNode => ({ node: e.node, port: e.port, process: e.process, ...(e.reason === undefined ? {} : { reason: e.reason }) });
  const entry = (node: string): Entry => {
    const found = entries.get(node);
    if (!found) throw new Refusal('not_found', `${node} is not a node of this sandbox`);
    return found;
  };
  const failed = (e: Entry, error: unknown) => {
    e.process = 'failed';
    e.reason = error instanceof Error ? error.message : String(error);
    log('agent_failed', { node: e.node, reason: e.reason });
  };

  async function run(e: Entry, port: number, known: ReadonlyMap<string, number>): Promise<void> {
    e.process = 'starting';
    delete e.reason;
    try {
      e.agent = await options.startAgent(sandboxAgentConfig(dir, spec, e, port, known));
      e.port = e.agent.port;
      e.process = 'up';
    } catch (error) {
      failed(e, error);
    }
  }

  /**
   * Every agent first listens on a port of its own choosing, then learns its neighbours' ports by a reload: ports
   * picked by the system never collide with another program's, whatever else runs on this machine.
   */
  async function startAll(): Promise<void> {
    const started = performance.now();
    // Spread over up to one heartbeat interval: agents started at once would beat at once, hundreds of floods in the
    // same instant every interval, holding this one process's event loop (and every agent's answers) back for seconds.
    const all = [...entries.values()];
    const apartMs = Math.min(MAX_START_APART_MS, spec.heartbeatIntervalMs / all.length);
    const running: Promise<void>[] = [];
    for (const e of all) {
      if (phase !== 'starting') break;
      running.push(run(e, 0, new Map()));
      await options.clock.sleep(apartMs);
    }
    await Promise.all(running);
    const known = ports();
    for (const e of entries.values()) e.agent?.reload(sandboxAgentConfig(dir, spec, e, e.port ?? 0, known));
    if (phase === 'starting') phase = 'running';
    log('started', { agents: [...entries.values()].filter((e) => e.process === 'up').length, ms: Math.round(performance.now() - started) });
  }

  /** Whether it stopped cleanly (a node that was not running did not). */
  async function stopOne(e: Entry): Promise<boolean> {
    const agent = e.agent;
    if (agent === undefined) return false;
    e.process = 'stopping';
    delete e.agent;
    try {
      await agent.stop();
      e.process = 'stopped';
      return true;
    } catch (error) {
      failed(e, error);
      return false;
    }
  }

  return {
    nodes: () => ({ phase, nodes: [...entries.values()].map(summary) }),

    async csrs() {
      if (phase !== 'enrolling') throw new Refusal('conflict', `the nodes are enrolled already (the sandbox is ${phase})`);
      // All at once: each key is written and synced to disk, which is what takes the time.
      const all = [...entries.values()];
      const csrs = await Promise.all(all.map((e) => identityCsr(nodeDataDir(dir, e.node), e.node)));
      return Object.fromEntries(all.map((e, i) => [e.node, csrs[i]!]));
    },

    async enroll(controlCaPem, certs) {
      if (phase !== 'enrolling') throw new Refusal('conflict', `the nodes are enrolled already (the sandbox is ${phase})`);
      const missing = [...entries.keys()].filter((node) => certs[node] === undefined);
      if (missing.length > 0) throw new Refusal('malformed', `no certificate for ${missing.join(', ')}`);
      await Promise.all(
        [...entries.values()].map((e) =>
          installIdentityCertificate(nodeDataDir(dir, e.node), e.node, certs[e.node]!, controlCaPem).catch((error: unknown) => {
            throw new Refusal('malformed', `${e.node}: ${(error as Error).message}`);
          }),
        ),
      );
      phase = 'starting';
      starting = startAll();
      return this.nodes();
    },

    async stop(node) {
      const e = entry(node);
      if (e.process !== 'up') throw new Refusal('conflict', `${node} is ${e.process}, not up`);
      // Its port stays taken while it is down, so that it comes back where its neighbours look for it.
      if ((await stopOne(e)) && e.port !== null) e.hold = await options.holdPort(e.port);
      log('agent_stopped', { node });
      return summary(e);
    },

    async start(node) {
      const e = entry(node);
      if (phase !== 'running') throw new Refusal('conflict', `the sandbox is ${phase}`);
      if (e.process !== 'stopped' && e.process !== 'failed') throw new Refusal('conflict', `${node} is ${e.process}, not stopped`);
      await e.hold?.release();
      delete e.hold;
      await run(e, e.port ?? 0, ports());
      log('agent_started', { node, process: e.process });
      return summary(e);
    },

    async view() {
      const roots = [...entries.values()].filter((e) => e.process === 'up' && e.port !== null && e.node.startsWith('root-'));
      const asked = roots.find((e) => e.node === spec.entry) ?? roots[0];
      if (asked === undefined) return { ok: false, reason: 'no root of the sandbox is up' };
      try {
        return { ok: true, snapshot: await options.askStatus(asked.node, asked.port!) };
      } catch (error) {
        return { ok: false, reason: `${asked.node} did not answer: ${(error as Error).message}` };
      }
    },

    async down() {
      phase = 'stopping';
      await starting;
      await Promise.all([...entries.values()].map((e) => stopOne(e)));
      await Promise.all([...entries.values()].map((e) => e.hold?.release()));
    },

    lost(nodes, reason) {
      for (const node of nodes) {
        const e = entries.get(node);
        if (e === undefined) continue;
        delete e.agent;
        failed(e, reason);
      }
    },
  };
}
