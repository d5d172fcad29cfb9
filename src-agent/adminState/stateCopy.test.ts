import { describe, expect, it } from 'vitest';
import { sampleAdminState } from '../../src-shared/protocol/adminState.testkit.ts';
import type { AdminState } from '../../src-shared/protocol/adminState.ts';
import { holdsState, parseStateCopy, stateCopy } from './stateCopy.ts';

const kept = (topologyId = 'topology-1', deployedChars = 64) => ({ version: 1 as const, storedAt: 1_000, storedBy: 2, state: sampleAdminState(topologyId, deployedChars) });

describe('a state copy', () => {
  it('holds the canonical text as bytes, and its head', async () => {
    const made = await stateCopy(kept(), 4096);
    if (!('copy' in made)) throw new Error(made.problem);
    expect(made.copy.head).toMatchObject({ topologyId: 'topology-1', storedAt: 1_000, storedBy: 2, size: made.copy.bytes.length });
    expect(JSON.parse(made.copy.bytes.toString('utf8'))).toEqual(kept());
  });

  it.each([
    ['the same state, stamped otherwise', sampleAdminState('topology-1'), true],
    ['the same state, its fields in another order', Object.fromEntries(Object.entries(sampleAdminState('topology-1')).reverse()) as AdminState, true],
    ['another topology', sampleAdminState('topology-2'), false],
    ['the same topology with another record', sampleAdminState('topology-1', 64, 'B'), false],
  ])('tells whether it holds %s', async (_what, state, holds) => {
    const made = await stateCopy({ ...kept(), storedAt: 2_000, storedBy: 3 }, 4096);
    if (!('copy' in made)) throw new Error(made.problem);
    expect(holdsState(made.copy, state)).toBe(holds);
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

  it('reads a canonical text found good before as it was, and still checks any other', async () => {
    const made = await stateCopy(kept('topology-9'), 4096);
    if (!('copy' in made)) throw new Error(made.problem);
    const text = made.copy.bytes.toString('utf8');
    expect(await parseStateCopy(text, 4096)).toEqual(made);
    expect(await parseStateCopy(text, 4096)).toEqual(made);
    // As a neighbour's answer comes: bytes, taken as they are.
    const bytes = Buffer.from(text, 'utf8');
    const read = await parseStateCopy(bytes, 4096);
    expect(read).toEqual(made);
    expect('copy' in read && read.copy.bytes).toBe(bytes);
    expect(await parseStateCopy(Buffer.from(text.replace('"storedBy":2', '"storedBy":"root-2"')), 4096)).toMatchObject({ problem: expect.stringMatching(/^storedBy: /) });
    const altered = text.replace('"storedBy":2', '"storedBy":"root-2"');
    expect(await parseStateCopy(altered, 4096)).toMatchObject({ problem: expect.stringMatching(/^storedBy: /) });
    expect(await parseStateCopy(text, 100)).toMatchObject({ problem: expect.stringMatching(/more than the 100/) });
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
