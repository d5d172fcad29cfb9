import { describe, expect, it } from 'vitest';
import { sampleAdminState } from '../../src-shared/protocol/adminState.testkit.ts';
import { parseStateCopy, stateCopy } from './stateCopy.ts';

const kept = (topologyId = 'topology-1', deployedChars = 64) => ({ version: 1 as const, storedAt: 1_000, storedBy: 2, state: sampleAdminState(topologyId, deployedChars) });

describe('a state copy', () => {
  it('holds the canonical text as bytes, its head, and a digest of the state alone', async () => {
    const made = await stateCopy(kept(), 4096);
    if (!('copy' in made)) throw new Error(made.problem);
    expect(made.copy.head).toMatchObject({ topologyId: 'topology-1', storedAt: 1_000, storedBy: 2, size: made.copy.bytes.length });
    expect(JSON.parse(made.copy.bytes.toString('utf8'))).toEqual(kept());
    // The same state stamped otherwise: another copy of the same state.
    const restamped = await stateCopy({ ...kept(), storedAt: 2_000, storedBy: 3 }, 4096);
    if (!('copy' in restamped)) throw new Error(restamped.problem);
    expect(restamped.copy.stateDigest).toBe(made.copy.stateDigest);
    expect(restamped.copy.head.digest).not.toBe(made.copy.head.digest);
  });

  it('is refused past the bound', async () => {
    expect(await stateCopy(kept('topology-1', 5_000), 4096)).toEqual({ problem: expect.stringMatching(/^the state is \d+ bytes, more than the 4096 a root keeps$/) });
  });

  it('reads back what it wrote, in whatever order its fields came', async () => {
    const made = await stateCopy(kept(), 4096);
    if (!('copy' in made)) throw new Error(made.problem);
    const reordered = JSON.stringify({ storedBy: 2, state: sampleAdminState(), version: 1, storedAt: 1_000 });
    expect(await parseStateCopy(reordered, 4096)).toEqual(made);
  });

  it.each([
    ['text past the bound', 'x'.repeat(5_000), /^5000 bytes, more than the 4096 a root keeps$/],
    ['text that is not JSON', '{"version":', /^not JSON \(line 1, column 12/],
    ['JSON that is not a kept state, without quoting it', JSON.stringify({ ...kept(), storedBy: 'root-2' }), /^storedBy: expected .*, found a string/],
  ])('says why it refuses %s', async (_what, text, problem) => {
    const read = await parseStateCopy(text, 4096);
    expect('problem' in read && read.problem).toMatch(problem);
    expect(JSON.stringify(read)).not.toContain('root-2');
  });
});
