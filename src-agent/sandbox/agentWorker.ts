// A sandbox agent worker: a thread of the sandbox host that runs the agents the host gives it, so that hundreds of
// agents use every core of the machine while the host's own thread stays free to answer its control channel.
import type { MessagePort } from 'node:worker_threads';
import type { RunningAgent } from '../agent.ts';
import type { AgentLog } from '../agentLog.ts';
import { logLine } from '../agentLog.ts';
import type { AgentConfig } from '../config/agentConfig.ts';
import type { FromWorker, ToWorker } from './workerMessages.ts';

export type StartAgent = (config: AgentConfig, log: AgentLog) => Promise<RunningAgent>;

export function serveAgentWorker(port: Pick<MessagePort, 'on' | 'postMessage'>, startAgent: StartAgent): void {
  const agents = new Map<string, RunningAgent>();
  const send = (message: FromWorker) => port.postMessage(message);
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

  port.on('message', (message: ToWorker) => {
    switch (message.op) {
      case 'start': {
        const node = message.config.node;
        startAgent(message.config, (event, fields) => send({ op: 'log', node, line: logLine(event, fields) })).then(
          (agent) => {
            agents.set(node, agent);
            send({ op: 'started', id: message.id, port: agent.port });
          },
          (error: unknown) => send({ op: 'failed', id: message.id, reason: reason(error) }),
        );
        return;
      }
      case 'reload':
        agents.get(message.node)?.reload(message.config);
        return;
      case 'stop': {
        const agent = agents.get(message.node);
        agents.delete(message.node);
        (agent?.stop() ?? Promise.resolve()).then(
          () => send({ op: 'stopped', id: message.id }),
          (error: unknown) => send({ op: 'failed', id: message.id, reason: reason(error) }),
        );
      }
    }
  });
}
