// `raincoat-agent sandbox-host --dir DIR`: the one background process of the sandbox overlay. It reads what
// `raincoat sandbox up` asked for, serves the control channel (its port and token in a 0600 file), runs every node's
// agent in this process (hundreds fit where hundreds of Node processes would not), in worker threads so that they use
// every core and this thread answers at once, and stops them all when taken down or signalled.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../src-node/atomicFile.ts';
import { readJsonFile } from '../../src-node/jsonStateFile.ts';
import { SANDBOX_FILES, SandboxSpecSchema } from '../../src-shared/sandbox/sandboxControl.ts';
import { sandboxNodeNames } from '../../src-shared/sandbox/sandboxNodeNames.ts';
import type { AgentLog } from '../agentLog.ts';
import type { Clock } from '../clock.ts';
import { askStatus } from '../heartbeat/askStatus.ts';
import type { AgentRunner, AgentWorkersOptions } from './agentWorkers.ts';
import { openBoundedLogFile } from './boundedLogFile.ts';
import type { BoundedLogFile } from './boundedLogFile.ts';
import { startControlServer } from './controlServer.ts';
import { holdPort } from './holdPort.ts';
import { createSandboxHost } from './sandboxHost.ts';
import { loopbackUrl, nodeDataDir } from './sandboxNodes.ts';

/** Each node's log is kept to this, and one file before it: a few hundred nodes stay within a few hundred MiB at worst. */
const NODE_LOG_BYTES = 256 * 1024;

export interface SandboxHostDeps {
  /** Where the agents run: in `threads` worker threads (agentWorkers.ts), or in this one when 0; each node's lines to `writeLine`. */
  agents(options: Omit<AgentWorkersOptions, 'script'>): AgentRunner;
  clock: Clock;
  /** The host's own events (the process's output, which `sandbox up` sends to the host's log). */
  log: AgentLog;
}

/**
 * Agents per worker thread, up to one thread per core. A sandbox this small runs in the host's own thread: a worker
 * costs about 30 MiB, and so few agents leave the thread free enough to answer the control channel at once.
 */
const AGENTS_PER_WORKER = 32;

export async function runSandboxHost(dir: string, deps: SandboxHostDeps): Promise<number> {
  const { log } = deps;
  const read = await readJsonFile(path.join(dir, SANDBOX_FILES.spec), SandboxSpecSchema);
  if (read.kind !== 'ok') {
    log('sandbox_unusable', { reason: read.kind === 'missing' ? `no ${SANDBOX_FILES.spec} in ${dir}` : read.reason });
    return 1;
  }
  const logsDir = path.join(dir, SANDBOX_FILES.logs);
  await mkdir(logsDir, { recursive: true, mode: 0o700 });
  const logs = new Map<string, BoundedLogFile>();
  const writeLine = (node: string, line: string) => {
    let file = logs.get(node);
    if (file === undefined) {
      file = openBoundedLogFile(path.join(logsDir, `${node}.log`), NODE_LOG_BYTES);
      logs.set(node, file);
    }
    file.write(line);
  };

  const nodes = sandboxNodeNames(read.value.topology).length;
  const runner = deps.agents({
    threads: nodes <= AGENTS_PER_WORKER ? 0 : Math.min(availableParallelism(), Math.ceil(nodes / AGENTS_PER_WORKER)),
    writeLine,
    onLost: (lost, reason) => host.lost(lost, reason),
  });
  const host = createSandboxHost({
    dir,
    clock: deps.clock,
    spec: read.value,
    startAgent: runner.startAgent,
    log,
    holdPort,
    askStatus: async (node, port) => {
      const answer = await askStatus(nodeDataDir(dir, node), node, loopbackUrl(port));
      if (!answer.ok) throw new Error(answer.reason);
      return answer.snapshot;
    },
  });

  let takeDown = (_why: string) => {};
  const takenDown = new Promise<string>((resolve) => (takeDown = resolve));
  const token = randomBytes(32).toString('base64url');
  const server = await startControlServer(
    token,
    {
      nodes: () => host.nodes(),
      csrs: async () => ({ csrs: await host.csrs() }),
      enroll: (body) => host.enroll(body.controlCaPem, body.certs),
      view: () => host.view(),
      stop: (body) => host.stop(body.node),
      start: (body) => host.start(body.node),
      down: () => {
        takeDown('asked');
        return { stopping: true };
      },
    },
    deps.clock,
    (message) => log('control_error', { message }),
  );
  const hostFile = path.join(dir, SANDBOX_FILES.host);
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const onSignal = (signal: string) => takeDown(signal);
  for (const signal of signals) process.on(signal, onSignal);
  // The file appears only once the channel answers: whoever started the host waits for it.
  await writeFileAtomic(hostFile, `${JSON.stringify({ pid: process.pid, port: server.port, token })}\n`, 0o600);
  log('host_listening', { port: server.port, nodes: host.nodes().nodes.length });

  const why = await takenDown;
  log('host_stopping', { why });
  await host.down();
  await runner.close();
  await server.close();
  await Promise.all([...logs.values()].map((file) => file.close()));
  await rm(hostFile, { force: true });
  for (const signal of signals) process.off(signal, onSignal);
  log('host_stopped', {});
  return 0;
}
