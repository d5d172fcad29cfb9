// What the sandbox host and its agent workers say to each other: a node's agent started, reloaded or stopped, and each
// line it logs (formatted in the worker: a log's fields need not survive being copied between threads).
import type { AgentConfig } from '../config/agentConfig.ts';

/** The workerData a sandbox agent worker is started with: the bundle's entry runs the worker instead of the CLI. */
export const AGENT_WORKER = { role: 'sandbox-agents' } as const;

export type ToWorker =
  | { op: 'start'; id: number; config: AgentConfig }
  | { op: 'reload'; node: string; config: AgentConfig }
  | { op: 'stop'; id: number; node: string };

export type FromWorker =
  | { op: 'started'; id: number; port: number }
  | { op: 'stopped'; id: number }
  | { op: 'failed'; id: number; reason: string }
  | { op: 'log'; node: string; line: string };
