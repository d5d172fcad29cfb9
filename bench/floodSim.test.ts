import { describe, expect, it } from 'vitest';
import { runFloodSimulation } from './floodSim.ts';

describe('runFloodSimulation', () => {
  it('on a small overlay: full reach, the expected message count, and a seen-set that stops growing', () => {
    const result = runFloodSimulation({ nodes: 200, roots: 10, floods: 5, durationMs: 30 * 60_000 });
    expect(result.simReach).toBe(1);
    expect(result.simDuplicateHandlings).toBe(0);
    expect(result.simMinimumPerFlood).toBe(199);
    expect(result.simMessagesPerFlood).toBe(result.simExpectedPerFlood);
    expect(result.simMessagesPerFlood).toBeGreaterThanOrEqual(result.simMinimumPerFlood);
    // root-1 keeps ten minutes of: 9 other roots' heartbeats, its 19 leaves' and its own, one each per 5 s.
    expect(result.simSeenSetEntries).toBe((9 + 19 + 1) * 120);
    expect(result.simSeenSetPeakBytes).toBe(result.simSeenSetBytes);
  });
});
