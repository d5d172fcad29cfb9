import { describe, expect, it } from 'vitest';
import { agentRuntimeFromUnit, shippedAgentRuntime } from './serviceUnit.ts';

describe('the agent service unit', () => {
  it('starts the bundle with the agent CLI’s start command and its configuration file', () => {
    const runtime = shippedAgentRuntime();
    expect(runtime.bundle).toMatch(/raincoat-agent\.mjs$/);
    expect(runtime.agentArgs).toEqual(['start', '--config', '/etc/raincoat/agent.json']);
    expect(runtime.nodeArgs.every((arg) => arg.startsWith('--'))).toBe(true);
    expect(runtime.env).toEqual({ MALLOC_ARENA_MAX: '1' });
  });

  it('reads several assignments on one Environment line and refuses a unit that does not run a bundle with node', () => {
    const unit = (exec: string) => `[Service]\nEnvironment=A=1 B=x=y\nExecStart=${exec}\n`;
    expect(agentRuntimeFromUnit(unit('/usr/bin/node --flag /a/b.mjs start'))).toEqual({
      nodeArgs: ['--flag'],
      env: { A: '1', B: 'x=y' },
      agentArgs: ['start'],
      bundle: '/a/b.mjs',
    });
    expect(() => agentRuntimeFromUnit(unit('/usr/bin/python3 /a/b.mjs'))).toThrow(/does not run a .mjs bundle/);
    expect(() => agentRuntimeFromUnit('[Service]\n')).toThrow(/no ExecStart/);
  });
});
