// The flood route's stream handler: a neighbour's long-lived request brings flooded messages as JSON lines, and its
// response carries an acknowledgement line for each (see floodStreamClient.ts for the sending side).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { zodProblems } from '../../src-shared/validation/zodProblems.ts';
import type { FloodRouter } from '../flood/router.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { NodeCertificates } from '../identity/nodeCertificates.ts';
import { Refusal } from './refusal.ts';
import { listProblems, MAX_REASON_CHARS } from './refusalReason.ts';
import type { RefusalCounter } from './refusal.ts';
import { refusalStatus } from '../../src-shared/protocol/refusals.ts';
import type { RefusalCode } from '../../src-shared/protocol/refusals.ts';
import type { Caller, StreamHandler } from './route.ts';
import { FloodLineSchema } from '../../src-shared/protocol/agentApi.ts';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import { NDJSON, NO_REST, lastLine, splitLines } from './lineSplitter.ts';
import type { LineRest } from './lineSplitter.ts';

const REASONS = {
  malformed: 'not a flood message',
  forbidden: 'its origin may not send it',
  rate_limited: 'its origin sends more than its share',
  bad_signature: "the signature is not the origin's",
  unknown_origin: 'the origin is unknown',
  duplicate: 'already seen (a duplicate or a replay)',
  too_old: 'older than the seen-set keeps messages',
  from_future: 'timestamped too far in the future',
} as const;

/**
 * A stream's acknowledgements are coalesced, like TCP's delayed acks: they go out together once ACK_DELAY_MS has
 * passed since the first of them, or at once when ACK_BATCH are waiting. A burst costs one write back instead of one
 * per message, and a lone flood's acknowledgement does not compete for the CPU with forwarding the flood itself. The
 * batch bound keeps the sender's window moving: it frees a slot per acknowledgement (see sender.ts), so without it a
 * 32-message window would carry at most 32 messages per 50 ms on each link.
 */
export const ACK_DELAY_MS = 50;
export const ACK_BATCH = 8;

/**
 * Bounds on what a stream may make the agent hold. Lines are read only while the neighbour reads the answers (the
 * request is paused otherwise), so unsent answers stay near the response's buffer size; past MAX_UNSENT_ACK_BYTES the
 * stream ends. A reason is cut to MAX_REASON_CHARS (refusalReason.ts), which keeps every answer line short (see floodStreamClient.ts).
 * An ended stream whose last answers are still unread after STOP_GRACE_MS is cut off.
 */
export const MAX_UNSENT_ACK_BYTES = 1024 * 1024;
export const STOP_GRACE_MS = 10_000;

export interface FloodStreamHandlerOptions {
  router: FloodRouter;
  certificates: NodeCertificates;
  refusals: RefusalCounter;
  maxLineBytes: number;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  ackDelayMs?: number;
  ackBatch?: number;
  maxUnsentAckBytes?: number;
  stopGraceMs?: number;
}

export function floodStreamHandler(options: FloodStreamHandlerOptions): StreamHandler {
  const { router, certificates, refusals, maxLineBytes, clock, ackDelayMs = ACK_DELAY_MS, ackBatch = ACK_BATCH } = options;
  const { maxUnsentAckBytes = MAX_UNSENT_ACK_BYTES, stopGraceMs = STOP_GRACE_MS } = options;
  // Refusals here are answers, not exceptions: flooding delivers most messages more than once, and a duplicate is
  // an expected outcome that should not cost an Error and its stack trace.
  const refuse = (code: RefusalCode, reason: string, n: number | null): FloodAck => {
    refusals.count(code);
    return { n, status: refusalStatus(code), error: code, reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason };
  };

  const accept = (caller: Caller, line: Buffer): FloodAck => {
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch (error) {
      return refuse('malformed', `a line is not JSON: ${(error as Error).message}`, null);
    }
    const parsed = FloodLineSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      const n = (value as { n?: unknown } | null)?.n;
      return refuse('malformed', listProblems(zodProblems(parsed.error, 'line')), Number.isInteger(n) ? (n as number) : null);
    }
    const { n, message, certificate } = parsed.data;
    const learned = certificates.learn(certificate);
    if ('refused' in learned) return refuse('unknown_origin', learned.refused, n);
    const result = router.receive(caller.node ?? null, message);
    if (!result.accepted) return refuse(result.reason, result.detail ?? REASONS[result.reason], n);
    return { n, status: 202 };
  };

  return {
    stream(caller: Caller, request: IncomingMessage, response: ServerResponse) {
      const type = request.headers['content-type'] ?? '';
      if (!type.toLowerCase().startsWith(NDJSON)) throw new Refusal('unsupported_media_type', `expected content-type ${NDJSON}, found ${JSON.stringify(type)}`);
      response.writeHead(200, { 'content-type': NDJSON });
      response.flushHeaders();
      let acks = '';
      let unsentAcks = 0;
      let ackTimer: TimerHandle | undefined;
      let graceTimer: TimerHandle | undefined;
      let open = true;
      /** The neighbour is not reading the answers: read no more lines until it has. */
      let congested = false;
      let ended = false;
      /** Lines received and not yet read, from `next` on: a chunk's lines, or all that came while congested. */
      const waiting: Buffer[] = [];
      let next = 0;
      /** The start of the next line. */
      let rest: LineRest<Buffer> = NO_REST;
      /** A line grew past the limit: it is refused once the lines before it are read. */
      let tooLong = false;

      const flush = () => {
        if (ackTimer !== undefined) clock.clearTimeout(ackTimer);
        ackTimer = undefined;
        const text = acks;
        acks = '';
        unsentAcks = 0;
        if (text.length === 0) return;
        if (!response.write(text) && !congested) {
          congested = true;
          request.pause();
        }
        if (open && response.writableLength > maxUnsentAckBytes) {
          answer(refuse('too_large', `more than ${maxUnsentAckBytes} bytes of acknowledgements are unread`, null));
          stop();
        }
      };
      const answer = (ack: FloodAck) => {
        acks += `${JSON.stringify(ack)}\n`;
        if (++unsentAcks >= ackBatch) flush();
        else ackTimer ??= clock.setTimeout(flush, ackDelayMs);
      };
      // Once the last line is out, the connection goes: the rest of the request is not worth reading, and is not
      // read (paused) while the last answers wait for a neighbour that may never read them.
      const stop = () => {
        if (!open) return;
        open = false;
        waiting.length = 0;
        rest = NO_REST;
        request.pause();
        flush();
        graceTimer = clock.setTimeout(() => response.destroy(), stopGraceMs);
        response.end(() => request.destroy());
      };
      const line = (bytes: Buffer) => {
        const ack = accept(caller, bytes);
        answer(ack);
        // A line that cannot be matched to its sender's message leaves the stream out of step: end it.
        if (ack.n === null) stop();
      };
      const tooLarge = () => {
        answer(refuse('too_large', `a line exceeds the limit of ${maxLineBytes} bytes`, null));
        stop();
      };
      const pump = () => {
        while (open && !congested && next < waiting.length) {
          const bytes = waiting[next++]!;
          if (bytes.length > 0) line(bytes);
        }
        if (!open || congested) return;
        waiting.length = 0;
        next = 0;
        if (tooLong) return tooLarge();
        if (!ended) return void request.resume();
        const last = lastLine(rest);
        if (last) line(last);
        if (!open) return;
        open = false;
        flush();
        response.end();
      };
      response.on('drain', () => {
        congested = false;
        pump();
      });
      response.on('close', () => {
        if (ackTimer !== undefined) clock.clearTimeout(ackTimer);
        if (graceTimer !== undefined) clock.clearTimeout(graceTimer);
      });
      request.on('data', (chunk: Buffer) => {
        if (!open || tooLong) return;
        const split = splitLines(rest, chunk, maxLineBytes);
        for (const bytes of split.lines) waiting.push(bytes);
        if (split.tooLong) tooLong = true;
        else rest = split.rest;
        pump();
      });
      request.on('end', () => {
        ended = true;
        pump();
      });
      request.on('error', () => response.destroy());
    },
  };
}
