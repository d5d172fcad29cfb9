// The sandbox host's agent workers, seen from the host's thread: each node's agent runs in one of a few worker threads
// (a node started again runs where it ran), and is driven through a RunningAgent that forwards to it.
import { Worker } from 'node:worker_threads';
import type { RunningAgent } from '../agent.ts';
import type { AgentConfig } from '../config/agentConfig.ts';
import type { FromWorker, ToWorker } from './workerMessages.ts';
import { AGENT_WORKER } from './workerMessages.ts';

export interface AgentRunner {
  startAgent(config: AgentConfig): Promise<RunningAgent>;
  /** Ends the workers: their agents are stopped first (the host's down). */
  close(): Promise<void>;
}

export interface AgentWorkersOptions {
  threads: number;
  /** The worker's script: the agent's entry, which serves as a worker when started with AGENT_WORKER. */
  script: URL;
  writeLine(node: string, line: string): void;
  /** A worker ended under its agents (an error nothing caught): they are gone. */
  onLost(nodes: string[], reason: string): void;
}

export function agentWorkers(options: AgentWorkersOptions): AgentRunner {
  interface Waiting {
    resolve(message: FromWorker): void;
    reject(error: Error): void;
  }
  interface Thread {
    worker: Worker;
    /** Requests not answered yet, by id. */
    pending: Map<number, Waiting>;
    /** The nodes whose agents run there now. */
    running: Set<string>;
  }
  let nextId = 1;
  let closing = false;
  const home = new Map<string, Thread>();

  const threads = Array.from({ length: Math.max(1, options.threads) }, (): Thread => {
    const thread: Thread = { worker: new Worker(options.script, { workerData: AGENT_WORKER }), pending: new Map(), running: new Set() };
    thread.worker.on('message', (message: FromWorker) => {
      if (message.op === 'log') return options.writeLine(message.node, message.line);
      const waiting = thread.pending.get(message.id);
      thread.pending.delete(message.id);
      waiting?.resolve(message);
    });
    let why = 'the worker exited';
    thread.worker.on('error', (error) => (why = `the worker failed: ${error.message}`));
    thread.worker.on('exit', () => {
      // Whatever was asked of it is answered now: nothing else will answer.
      for (const waiting of thread.pending.values()) waiting.reject(new Error(why));
      thread.pending.clear();
      if (!closing && thread.running.size > 0) options.onLost([...thread.running], why);
      thread.running.clear();
    });
    return thread;
  });

  const ask = (thread: Thread, message: ToWorker & { id: number }) =>
    new Promise<FromWorker>((resolve, reject) => {
      thread.pending.set(message.id, { resolve, reject });
      thread.worker.postMessage(message);
    });

  return {
    async startAgent(config) {
      const node = config.node;
      // Nodes are dealt to the threads in turn, once: a node started again runs where it ran.
      const thread = home.get(node) ?? threads[home.size % threads.length]!;
      home.set(node, thread);
      const answer = await ask(thread, { op: 'start', id: nextId++, config });
      if (answer.op !== 'started') throw new Error(answer.op === 'failed' ? answer.reason : `unexpected answer ${answer.op}`);
      thread.running.add(node);
      return {
        node,
        port: answer.port,
        reload: (next) => thread.worker.postMessage({ op: 'reload', node, config: next } satisfies ToWorker),
        async stop() {
          thread.running.delete(node);
          const stopped = await ask(thread, { op: 'stop', id: nextId++, node });
          if (stopped.op === 'failed') throw new Error(stopped.reason);
        },
      };
    },
    async close() {
      closing = true;
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}
