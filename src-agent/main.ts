// The agent's entry point (and the bundle's): runs the command line against the real process, or, in a sandbox host's
// worker thread, that worker's agents.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startAgent } from './agent.ts';
import type { AgentLog } from './agentLog.ts';
import { logLine } from './agentLog.ts';
import { runCli, serveUntilSignalled } from './cli.ts';
import { systemClock } from './clock.ts';
import { serveAgentWorker } from './sandbox/agentWorker.ts';
import type { StartAgent } from './sandbox/agentWorker.ts';
import { agentWorkers } from './sandbox/agentWorkers.ts';
import type { AgentWorkersOptions } from './sandbox/agentWorkers.ts';
import { inThreadAgents } from './sandbox/inThreadAgents.ts';
import { runSandboxHost } from './sandbox/runSandboxHost.ts';
import { AGENT_WORKER } from './sandbox/workerMessages.ts';
import { writeWithoutWaitingForDisk } from '../src-node/atomicFile.ts';

/** One JSON object per line on stdout; never secrets (keys and tokens are not passed here). */
const log: AgentLog = (event, fields) => {
  process.stdout.write(logLine(event, fields));
};

/**
 * A sandbox agent: its log is the sandbox host's file for its node; its files are written without waiting for the disk,
 * which the host's hundreds of agents share (see writeWithoutWaitingForDisk).
 */
const startSandboxAgent: StartAgent = (config, agentLog) => {
  writeWithoutWaitingForDisk();
  return startAgent(config, agentLog, systemClock);
};

/** The sandbox host's agents: in its own thread, or in worker threads that run this very file (the bundle, or this source). */
const sandboxAgents = (options: Omit<AgentWorkersOptions, 'script'>) =>
  options.threads === 0 ? inThreadAgents(startSandboxAgent, options.writeLine) : agentWorkers({ ...options, script: new URL(import.meta.url) });

if (!isMainThread && (workerData as typeof AGENT_WORKER | undefined)?.role === AGENT_WORKER.role) {
  serveAgentWorker(parentPort!, startSandboxAgent);
} else {
  const code = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    serve: serveUntilSignalled((config) => startAgent(config, log, systemClock), log, systemClock),
    hostSandbox: (dir) => runSandboxHost(dir, { agents: sandboxAgents, clock: systemClock, log }),
  });
  // Exit explicitly: a kept-alive peer connection or a stray timer must not keep a stopped agent around.
  process.exit(code);
}
