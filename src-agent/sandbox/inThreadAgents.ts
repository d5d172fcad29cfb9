// The sandbox's agents in the host's own thread, for a sandbox small enough not to need worker threads (agentWorkers.ts).
import { logLine } from '../agentLog.ts';
import type { StartAgent } from './agentWorker.ts';
import type { AgentRunner } from './agentWorkers.ts';

export function inThreadAgents(startAgent: StartAgent, writeLine: (node: string, line: string) => void): AgentRunner {
  return {
    startAgent: (config) => startAgent(config, (event, fields) => writeLine(config.node, logLine(event, fields))),
    close: async () => undefined,
  };
}
