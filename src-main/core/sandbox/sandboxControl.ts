// The running sandbox's other commands: its status, a node stopped or started again, and taking it all down.
import path from 'node:path';
import { SANDBOX_FILES } from '../../../src-shared/sandbox/sandboxControl.ts';
import type { HostNode, HostNodes, HostView } from '../../../src-shared/sandbox/sandboxControl.ts';
import { findSandbox } from './findSandbox.ts';
import type { FoundSandbox } from './findSandbox.ts';
import { endHostAfter, endStaleHost } from './hostProcess.ts';
import { removeSandboxFiles } from './removeSandboxFiles.ts';
import { SandboxError } from './sandboxError.ts';

type Running = Extract<FoundSandbox, { state: 'running' }>;

async function running(dir: string): Promise<Running> {
  const found = await findSandbox(dir);
  if (found.state === 'running') return found;
  const why = found.state === 'stale' ? ` (${found.why})` : '';
  throw new SandboxError(`no sandbox is running in ${dir}${why}: start one with "raincoat sandbox up"`);
}

export interface SandboxStatus {
  nodes: HostNodes;
  /** The overlay as one of its roots sees it (the entry root while it is up). */
  view: HostView;
  accessFile: string;
}

export async function sandboxStatus(dir: string): Promise<SandboxStatus> {
  const { call, nodes } = await running(dir);
  return { nodes, view: await call('view'), accessFile: path.join(dir, SANDBOX_FILES.access) };
}

export async function stopNode(dir: string, node: string): Promise<HostNode> {
  return (await running(dir)).call('stop', { node });
}

export async function startNode(dir: string, node: string): Promise<HostNode> {
  return (await running(dir)).call('start', { node });
}

export type Down = { was: 'running'; agents: number } | { was: 'stale' | 'none' };

/** Stops the host and every agent, then removes what the sandbox wrote (removeSandboxFiles keeps anything else). */
export async function sandboxDown(dir: string): Promise<Down> {
  const found = await findSandbox(dir);
  if (found.state === 'running') {
    await found.call('down');
    await endHostAfter(found.host.pid, 30_000);
  } else if (found.state === 'stale') {
    await endStaleHost(found.pid);
  }
  await removeSandboxFiles(dir);
  return found.state === 'running' ? { was: 'running', agents: found.nodes.nodes.length } : { was: found.state };
}
