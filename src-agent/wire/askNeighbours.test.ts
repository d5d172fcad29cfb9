import { describe, expect, it } from 'vitest';
import { createManualClock, settle } from '../clock.ts';
import { askInTurn, askNeighbour, askOrder } from './askNeighbours.ts';
import type { PeerClient } from './peerClient.ts';

describe('askOrder', () => {
  it.each<[string | null, string[], string[]]>([
    ['root-3', ['root-2', 'root-3'], ['root-3', 'root-2']],
    [null, ['root-2', 'root-3'], ['root-2', 'root-3']],
    ['leaf-1-1', [], ['leaf-1-1']],
  ])('from %s among %j: %j', (from, neighbours, order) => {
    expect(askOrder(from, neighbours)).toEqual(order);
  });
});

describe('askInTurn', () => {
  /** Asks nodes whose answers are given (a node absent throws), moving the clock on by each wait. */
  async function run(answers: Record<string, string>, order: string[], attempts: number, until?: number, firstRetryMs?: number) {
    const clock = createManualClock(0);
    const asked: string[] = [];
    let done = false;
    const result = askInTurn(
      order,
      async (node) => {
        asked.push(`${node} @${clock.now()}`);
        if (!(node in answers)) throw new Error(`${node} has none`);
        return answers[node]!;
      },
      { clock, retryMs: 1_000, attempts, until, ...(firstRetryMs === undefined ? {} : { firstRetryMs }) },
    ).finally(() => (done = true));
    while (!done) {
      if (clock.pending() > 0) await clock.advanceAsync(firstRetryMs ?? 1_000);
      else await settle();
    }
    return { result: await result, asked };
  }

  it.each([
    ['the first answers', { 'root-2': 'it' }, ['root-2', 'root-3'], 3, { value: 'it' }, ['root-2 @0']],
    ['the second answers after a wait', { 'root-3': 'it' }, ['root-2', 'root-3'], 3, { value: 'it' }, ['root-2 @0', 'root-3 @1000']],
    ['round and round, and gives up with the last failure, no wait after it', {}, ['root-2', 'root-3'], 3, { failed: 'root-2 has none' }, ['root-2 @0', 'root-3 @1000', 'root-2 @2000']],
    ['nobody to ask', {}, [], 3, { failed: 'no neighbour to fetch it from' }, []],
    ['past its attempts while of use: one more only if it starts before the time', {}, ['root-2', 'root-3'], 2, { failed: 'root-2 has none' }, ['root-2 @0', 'root-3 @1000', 'root-2 @2000'], 2_500],
    ['the attempts given at least, even past the time', {}, ['root-2'], 2, { failed: 'root-2 has none' }, ['root-2 @0', 'root-2 @1000'], 500],
    ['answered after its attempts, within the time', { 'root-3': 'late' }, ['root-2', 'root-2', 'root-3'], 1, { value: 'late' }, ['root-2 @0', 'root-2 @1000', 'root-3 @2000'], 10_000],
  ])('%s', async (_what, answers, order, attempts, expected, asked, until?: number) => {
    const run_ = await run(answers, order, attempts, until);
    expect(run_.result).toEqual(expected);
    expect(run_.asked).toEqual(asked);
  });
});

describe('askInTurn, waiting a little at first', () => {
  it('doubles the wait after each failure up to the longest, and counts it against the time', async () => {
    const clock = createManualClock(0);
    const asked: number[] = [];
    let done = false;
    const result = askInTurn(['root-2'], async () => {
      asked.push(clock.now());
      throw new Error('busy');
    }, { clock, retryMs: 1_000, firstRetryMs: 100, attempts: 1, until: 3_500 }).finally(() => (done = true));
    while (!done) {
      if (clock.pending() > 0) await clock.advanceAsync(100);
      else await settle();
    }
    expect(await result).toEqual({ failed: 'busy' });
    // Waits of 100, 200, 400, 800, then 1,000 ms; the next would start past 3,500.
    expect(asked).toEqual([0, 100, 300, 700, 1_500, 2_500]);
  });
});

describe('askNeighbour', () => {
  const client = (status: number, body: string): PeerClient => ({
    request: async () => ({ status, body: Buffer.from(body) }),
    open: () => {
      throw new Error('not used');
    },
    close: () => undefined,
  });
  const targetOf = (node: string) => (node === 'root-9' ? undefined : { node, url: `https://${node}.invalid` });

  it('gives the body of a 200', async () => {
    expect((await askNeighbour({ client: client(200, '{"head":null}'), targetOf }, 'root-2', 'adminStateHead', undefined, 1024)).toString()).toBe('{"head":null}');
  });

  it.each([
    ['a refusal', 'root-2', client(404, '{"error":"not_found"}'), 'root-2 answered 404: {"error":"not_found"}'],
    ['a node without an address', 'root-9', client(200, '{}'), 'root-9 is not a neighbour with an address'],
  ])('throws on %s', async (_what, node, peer, message) => {
    await expect(askNeighbour({ client: peer, targetOf }, node, 'adminStateHead', undefined, 1024)).rejects.toThrow(message);
  });
});
