// Answers that hold a large buffer until the neighbour asking has read it (a deploy package, the administrator's state):
// a bounded number at a time, the next few waiting their turn, each given up when not read by its deadline, sent in slices.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyOf, RouteName } from '../../src-shared/protocol/agentApi.ts';
import type { Clock } from '../clock.ts';
import { Refusal } from './refusal.ts';
import type { Caller, ResponderHandler } from './route.ts';

/** An answer not read by then is given up, so neighbours that stop reading cannot hold every answer slot. */
export const ANSWER_DEADLINE_MS = 120_000;

/** Slices of the shared bytes handed to the socket at a time: only what the neighbour is reading gets encrypted and buffered. */
const SEND_CHUNK_BYTES = 64 * 1024;

export interface BytesResponderOptions<K extends RouteName> {
  /** The answer's bytes (shared between answers, never copied) for `caller`; throws a Refusal to refuse. */
  bytesFor(body: BodyOf<K>, caller: Caller): Promise<Buffer>;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** How many answers may be in flight at once; beyond that a neighbour waits its turn, */
  maxAnswers: number;
  /**
   * and beyond this many waiting (default four times maxAnswers) is told to ask again. A neighbour told so waits before it
   * asks again, by which time a slot has long been free: waiting in turn serves it as soon as one is.
   */
  maxWaiting?: number;
  /** What is being sent, for the refusal when every slot is taken: `packages`. */
  what: string;
  /** Logs a failure to find the bytes (anything but a Refusal) under `errorEvent`. */
  errorEvent: string;
  log(event: string, fields: Record<string, unknown>): void;
}

export function bytesResponder<K extends RouteName>(options: BytesResponderOptions<K>): ResponderHandler<K> {
  const maxWaiting = options.maxWaiting ?? options.maxAnswers * 4;
  let answers = 0;
  /** The answers waiting for a slot, in the order they were asked for; one whose neighbour went away leaves the line. */
  const waiting = new Set<() => void>();
  const next = () => {
    const first = waiting.values().next();
    if (first.done) return;
    waiting.delete(first.value);
    first.value();
  };
  return {
    respond(caller, body, request, response) {
      if (answers >= options.maxAnswers && waiting.size >= maxWaiting) {
        throw new Refusal('unavailable', `${answers} ${options.what} are being sent already and ${waiting.size} wait; ask again shortly`);
      }
      const start = () => answer(caller, body, request, response);
      if (answers < options.maxAnswers) return start();
      waiting.add(start);
      response.once('close', () => waiting.delete(start));
    },
  };

  function answer(caller: Caller, body: BodyOf<K>, request: IncomingMessage, response: ServerResponse): void {
    answers++;
    const deadline = options.clock.setTimeout(() => response.destroy(), ANSWER_DEADLINE_MS);
    response.once('close', () => {
      answers--;
      options.clock.clearTimeout(deadline);
      next();
    });
    options.bytesFor(body, caller).then(
      (bytes) => send(request, response, 200, bytes),
      (error: unknown) => {
        const refusal = error instanceof Refusal ? error : new Refusal('unavailable', 'internal error');
        if (!(error instanceof Refusal)) options.log(options.errorEvent, { error: String(error) });
        send(request, response, refusal.status, Buffer.from(JSON.stringify({ error: refusal.code, reason: refusal.message })));
      },
    );
  }
}

/** Sends an answer; a neighbour gone meanwhile gets nothing, and a refusal before the body was read closes the connection. */
function send(request: IncomingMessage, response: ServerResponse, status: number, bytes: Buffer): void {
  if (response.destroyed) return;
  if (!request.complete) response.setHeader('connection', 'close');
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  let offset = 0;
  const pump = () => {
    while (offset < bytes.length) {
      const chunk = bytes.subarray(offset, (offset += SEND_CHUNK_BYTES));
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    response.end();
  };
  pump();
}
