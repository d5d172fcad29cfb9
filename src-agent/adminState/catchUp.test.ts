import { describe, expect, it } from 'vitest';
import { createCatchUp, SILENCE_INTERVALS } from './catchUp.ts';

describe('when a neighbour root is asked which state it keeps', () => {
  it.each([
    ['the first heartbeat heard from it', [], 1_000, true],
    ['a heartbeat on time', [1_000], 2_000, false],
    ['the first after heartbeats were missed for a while', [1_000], 1_000 + SILENCE_INTERVALS * 1_000 + 1, true],
    ['one a little late', [1_000], 1_000 + SILENCE_INTERVALS * 1_000, false],
  ])('%s: %s', (_what, before, at, asked) => {
    const catchUp = createCatchUp();
    for (const t of before) catchUp.heard('root-2', t, 1_000);
    expect(catchUp.heard('root-2', at, 1_000)).toBe(asked);
  });

  it('keeps each neighbour apart', () => {
    const catchUp = createCatchUp();
    expect(catchUp.heard('root-2', 0, 1_000)).toBe(true);
    expect(catchUp.heard('root-3', 500, 1_000)).toBe(true);
    expect(catchUp.heard('root-2', 1_000, 1_000)).toBe(false);
  });
});
