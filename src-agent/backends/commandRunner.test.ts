import { describe, expect, it } from 'vitest';
import { createManualClock, settle } from '../clock.ts';
import { createCommandRunner, describeFailure, withCommandPrefix } from './commandRunner.ts';
import type { CommandResult } from './commandRunner.ts';

describe('createCommandRunner', () => {
  it.each<[string, string, string[], Partial<CommandResult>]>([
    ['its exit code and both outputs', 'sh', ['-c', 'echo out; echo err >&2; exit 3'], { code: 3, stdout: 'out\n', stderr: 'err\n' }],
    ['its environment added to the agent’s', 'sh', ['-c', 'echo "$RAINCOAT_TEST"'], { code: 0, stdout: 'set\n' }],
    ['127 for a program that cannot start', '/nonexistent/raincoat-program', [], { code: 127 }],
  ])('gives %s', async (_case, command, args, result) => {
    const clock = createManualClock(0);
    expect(await createCommandRunner(clock)(command, args, { env: { RAINCOAT_TEST: 'set' } })).toMatchObject(result);
    expect(clock.pending()).toBe(0);
  });

  it('kills a program that outlives its limit on the clock it is given', async () => {
    const clock = createManualClock(0);
    const run = createCommandRunner(clock)('sleep', ['30'], { timeoutMs: 1_000 });
    await settle();
    clock.advance(999);
    let done = false;
    void run.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    clock.advance(1);
    expect(await run).toEqual({ code: -1, stdout: '', stderr: 'timed out' });
  });
});

describe('describeFailure', () => {
  it.each<[CommandResult, string]>([
    [{ code: 1, stdout: '', stderr: 'a\nb\nc\nd\n' }, 'swanctl failed (exit 1): b / c / d'],
    [{ code: 2, stdout: 'only out', stderr: ' ' }, 'swanctl failed (exit 2): only out'],
    [{ code: -1, stdout: '', stderr: '' }, 'swanctl failed (exit -1)'],
  ])('%j', (result, text) => {
    expect(describeFailure('swanctl', result)).toBe(text);
  });
});

describe('withCommandPrefix', () => {
  it('runs the program through the prefix', async () => {
    const calls: unknown[] = [];
    const runner = withCommandPrefix(['ip', 'netns', 'exec', 'ns1'], async (command, args) => (calls.push([command, ...args]), { code: 0, stdout: '', stderr: '' }));
    await runner('swanctl', ['--load-all']);
    expect(calls).toEqual([['ip', 'netns', 'exec', 'ns1', 'swanctl', '--load-all']]);
  });
});
