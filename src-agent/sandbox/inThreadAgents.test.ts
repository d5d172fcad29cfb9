import { describe, expect, it } from 'vitest';
import type { RunningAgent } from '../agent.ts';
import { AgentConfigSchema } from '../config/agentConfig.ts';
import { inThreadAgents } from './inThreadAgents.ts';

describe('inThreadAgents', () => {
  it("starts each agent here, its lines to its node's log", async () => {
    const lines: string[] = [];
    const runner = inThreadAgents(
      async (config, log) => {
        log('listening', { port: 4001 });
        return { node: config.node, port: 4001 } as RunningAgent;
      },
      (node, line) => lines.push(`${node} ${line}`),
    );
    const config = AgentConfigSchema.parse({ node: 'root-1', listen: { host: '127.0.0.1', port: 0 }, dataDir: '/sb/root-1', backend: { kind: 'dry-run', dir: '/sb/root-1/d' } });
    expect((await runner.startAgent(config)).port).toBe(4001);
    expect(lines).toEqual([expect.stringMatching(/^root-1 \{"t":"[^"]+","event":"listening","port":4001\}\n$/)]);
  });
});
