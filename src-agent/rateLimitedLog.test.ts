import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.ts';
import { createRateLimitedLog } from './rateLimitedLog.ts';

function setup() {
  const clock = createManualClock(0);
  const lines: Array<[string, Record<string, unknown> | undefined]> = [];
  const limited = createRateLimitedLog((event, fields) => lines.push([event, fields]), { clock, perWindow: 3, windowMs: 10_000 });
  return { clock, lines, limited };
}

describe('createRateLimitedLog', () => {
  it('writes a kind up to its bound per window and counts the rest, each kind on its own', () => {
    const { lines, limited } = setup();
    for (let i = 0; i < 1000; i++) limited.log('deploy_ignored', { i });
    limited.log('listening', {});
    expect(lines.map(([event]) => event)).toEqual(['deploy_ignored', 'deploy_ignored', 'deploy_ignored', 'listening']);
    expect(lines.map(([, fields]) => fields?.i)).toEqual([0, 1, 2, undefined]);
  });

  it('says how many lines it left out once the window is over, on the next line or by its timer', () => {
    const { clock, lines, limited } = setup();
    for (let i = 0; i < 10; i++) limited.log('a');
    clock.advance(9_999);
    expect(lines).toHaveLength(3);
    clock.advance(1);
    expect(lines.at(-1)).toEqual(['log_suppressed', { event: 'a', suppressed: 7, sinceMs: 10_000 }]);
    limited.log('a');
    expect(lines.at(-1)).toEqual(['a', undefined]);
    for (let i = 0; i < 5; i++) limited.log('b');
    limited.close();
    expect(lines.at(-1)).toEqual(['log_suppressed', { event: 'b', suppressed: 2, sinceMs: 0 }]);
  });

  it('writes nothing more about a kind that stayed within its bound', () => {
    const { clock, lines, limited } = setup();
    limited.log('a');
    clock.advance(60_000);
    limited.close();
    expect(lines).toEqual([['a', undefined]]);
  });
});
