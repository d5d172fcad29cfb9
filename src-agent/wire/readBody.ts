// Reads a request body up to a byte limit, refusing as soon as the limit is passed rather than after buffering it all.
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../clock.ts';
import { BYTES_PER_JSON_ITEM, MAX_JSON_DEPTH, jsonCost } from './jsonCost.ts';
import { Refusal } from './refusal.ts';

/** A body that has not arrived in full by then is given up (a sender trickling bytes must not hold a connection). */
export const BODY_DEADLINE_MS = 60_000;

export interface BodyOptions {
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  deadlineMs?: number;
}

export async function readBody(request: IncomingMessage, maxBytes: number, options: BodyOptions): Promise<Buffer> {
  const { clock, deadlineMs = BODY_DEADLINE_MS } = options;
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) throw new Refusal('too_large', `the body is ${declared} bytes; the limit is ${maxBytes}`);
  const timer = clock.setTimeout(() => request.destroy(new Refusal('timeout', `the body did not arrive within ${deadlineMs / 1000} s`)), deadlineMs);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw new Refusal('too_large', `the body exceeds the limit of ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } finally {
    clock.clearTimeout(timer);
  }
  return Buffer.concat(chunks, total);
}

/**
 * The body as JSON; a body that is not JSON (or not declared as JSON) is refused with the reason, and so is one that would
 * cost more to parse than any real body does (see jsonCost.ts), before a value of it is built.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number, options: BodyOptions): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new Refusal('unsupported_media_type', `expected content-type application/json, found ${JSON.stringify(type)}`);
  const text = (await readBody(request, maxBytes, options)).toString('utf8');
  const maxItems = Math.floor(maxBytes / BYTES_PER_JSON_ITEM);
  const cost = jsonCost(text, { maxDepth: MAX_JSON_DEPTH, maxItems });
  if ('exceeds' in cost) {
    throw new Refusal(
      'too_large',
      cost.exceeds === 'depth'
        ? `the body nests deeper than ${MAX_JSON_DEPTH} levels`
        : `the body holds more than ${maxItems} strings, objects and arrays (one per ${BYTES_PER_JSON_ITEM} bytes of its limit)`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Refusal('malformed', `the body is not JSON: ${(error as Error).message}`);
  }
}
