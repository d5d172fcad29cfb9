import { afterEach, describe, expect, it } from 'vitest';
import { AgentConfigSchema } from '../config/agentConfig.ts';
import { agentWorkers } from './agentWorkers.ts';
import type { AgentRunner } from './agentWorkers.ts';

const config = (node: string, port = 0) => AgentConfigSchema.parse({ node, listen: { host: '127.0.0.1', port }, dataDir: `/sb/${node}`, backend: { kind: 'dry-run', dir: `/sb/${node}/dry-run` } });

let runner: AgentRunner | undefined;
afterEach(async () => {
  await runner?.close();
  runner = undefined;
});

function workers(threads: number) {
  const lines: string[] = [];
  const lost: string[] = [];
  runner = agentWorkers({
    threads,
    script: new URL('./agentWorker.testkit.ts', import.meta.url),
    writeLine: (node, line) => lines.push(`${node} ${(JSON.parse(line) as { event: string }).event}`),
    onLost: (nodes, reason) => lost.push(`${nodes.join(' ')}: ${reason}`),
  });
  return { runner, lines, lost };
}

describe('agentWorkers', () => {
  it("runs each node's agent in a thread, dealt in turn, its lines to the node's log", async () => {
    const { runner, lines } = workers(2);
    const one = await runner.startAgent(config('root-1'));
    const two = await runner.startAgent(config('root-2'));
    const three = await runner.startAgent(config('leaf-1-1'));
    // Each thread counts its own starts: root-1 and leaf-1-1 share the first.
    expect([one.port, two.port, three.port]).toEqual([5001, 5001, 5002]);
    one.reload(config('root-1'));
    await one.stop();
    expect(lines.sort()).toEqual(['leaf-1-1 listening', 'root-1 listening', 'root-1 reloaded', 'root-1 stopped', 'root-2 listening']);
  });

  it("starts a node again in the thread it ran in, and passes on an agent's failure to start", async () => {
    const { runner } = workers(2);
    const first = await runner.startAgent(config('root-1'));
    await runner.startAgent(config('root-2'));
    await first.stop();
    expect((await runner.startAgent(config('root-1'))).port).toBe(5002);
    await expect(runner.startAgent(config('root-9'))).rejects.toThrow('EADDRINUSE');
  });

  it('says which agents were lost when their thread ends under them', async () => {
    const { runner, lost } = workers(1);
    await runner.startAgent(config('root-1'));
    const doomed = await runner.startAgent(config('leaf-9-9'));
    await expect(doomed.stop()).rejects.toThrow('the worker exited');
    expect(lost).toEqual(['root-1: the worker exited']);
  });
});
