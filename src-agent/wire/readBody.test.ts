import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createManualClock, settle } from '../clock.ts';
import { readBody, readJsonBody } from './readBody.ts';
import type { Refusal } from './refusal.ts';

/** A request whose body the test writes, in pieces, and may leave unfinished. */
function request(headers: Record<string, string> = {}) {
  return Object.assign(new PassThrough(), { headers }) as PassThrough & { headers: Record<string, string> };
}

const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Refusal) => [error.code, error.message],
  );

describe('readBody', () => {
  it('reads a body that comes in pieces, and clears its deadline', async () => {
    const clock = createManualClock(0);
    const body = request();
    const read = readBody(body as unknown as IncomingMessage, 10, { clock });
    body.write('abc');
    body.end('def');
    expect((await read).toString()).toBe('abcdef');
    expect(clock.pending()).toBe(0);
  });

  it.each<[string, Record<string, string>, string[], [string, string]]>([
    ['declared too large, before any byte is read', { 'content-length': '11' }, [], ['too_large', 'the body is 11 bytes; the limit is 10']],
    ['too large as it comes', {}, ['123456', '789012'], ['too_large', 'the body exceeds the limit of 10 bytes']],
  ])('refuses a body %s', async (_case, headers, pieces, refusal) => {
    const body = request(headers);
    const read = refusalOf(readBody(body as unknown as IncomingMessage, 10, { clock: createManualClock(0) }));
    for (const piece of pieces) body.write(piece);
    expect(await read).toEqual(refusal);
  });

  it('gives up a body that has not arrived in full by its deadline, on the clock it is given', async () => {
    const clock = createManualClock(0);
    const body = request();
    const read = refusalOf(readBody(body as unknown as IncomingMessage, 10, { clock, deadlineMs: 2_000 }));
    body.write('abc');
    await clock.advanceAsync(1_999);
    expect(body.destroyed).toBe(false);
    await clock.advanceAsync(1);
    await settle();
    expect(await read).toEqual(['timeout', 'the body did not arrive within 2 s']);
  });
});

describe('readJsonBody', () => {
  it.each<[string, Record<string, string>, string, unknown]>([
    ['JSON', { 'content-type': 'application/json; charset=utf-8' }, '{"a":1}', { a: 1 }],
    ['a body not declared as JSON', { 'content-type': 'text/plain' }, '{}', ['unsupported_media_type', 'expected content-type application/json, found "text/plain"']],
    ['a body that is not JSON', { 'content-type': 'application/json' }, '{"a":', ['malformed', expect.stringMatching(/^the body is not JSON: /)]],
    ['a body that nests too deep, however small', { 'content-type': 'application/json' }, '['.repeat(33), ['too_large', 'the body nests deeper than 32 levels']],
    ['a body of more values than its limit allows', { 'content-type': 'application/json' }, JSON.stringify(Array(64).fill({})), ['too_large', 'the body holds more than 64 strings, objects and arrays (one per 64 bytes of its limit)']],
  ])('%s', async (_case, headers, text, expected) => {
    const body = request(headers);
    body.end(text);
    const read = readJsonBody(body as unknown as IncomingMessage, 4096, { clock: createManualClock(0) });
    expect(Array.isArray(expected) ? await refusalOf(read) : await read).toEqual(expected);
  });
});
