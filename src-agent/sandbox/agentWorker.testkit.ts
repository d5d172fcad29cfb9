// A sandbox agent worker whose agents are fakes, for agentWorkers.test.ts: each listens at 5000 plus its start's count
// and logs a line; root-9 fails to start, and stopping leaf-9-9 ends the thread.
import { parentPort } from 'node:worker_threads';
import type { RunningAgent } from '../agent.ts';
import { serveAgentWorker } from './agentWorker.ts';

let started = 0;
serveAgentWorker(parentPort!, async (config, log) => {
  if (config.node === 'root-9') throw new Error('EADDRINUSE');
  log('listening', { node: config.node });
  const agent: RunningAgent = {
    node: config.node,
    port: 5000 + ++started,
    reload: (next) => log('reloaded', { neighbours: next.neighbours.length }),
    stop: async () => {
      if (config.node === 'leaf-9-9') process.exit(3);
      log('stopped', {});
    },
  };
  return agent;
});
