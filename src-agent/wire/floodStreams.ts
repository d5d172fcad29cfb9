// Flooded messages on the wire: one long-lived HTTPS request per neighbour carries them as JSON lines, and its
// response carries an acknowledgement line for each. A request per message would cost several times the CPU.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatProblem } from '../../src-shared/validation/zodProblems.ts';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { zodProblems } from '../../src-shared/validation/zodProblems.ts';
import type { FloodRouter } from '../flood/router.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { NodeCertificates } from '../identity/nodeCertificates.ts';
import { Refusal } from './refusal.ts';
import { refusalStatus } from '../../src-shared/protocol/refusals.ts';
import type { RefusalCounter } from './refusal.ts';
import type { RefusalCode } from '../../src-shared/protocol/refusals.ts';
import type { Caller, StreamHandler } from './route.ts';
import { agentApi, FloodLineSchema } from '../../src-shared/protocol/agentApi.ts';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import type { PeerClient, PeerTarget } from './peerClient.ts';

export const NDJSON = 'application/x-ndjson';


const REASONS = {
  malformed: 'not a flood message',
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
 * stream ends. A reason is cut to MAX_REASON_CHARS, which keeps every answer line short (see MAX_ACK_LINE_CHARS).
 * An ended stream whose last answers are still unread after STOP_GRACE_MS is cut off.
 */
export const MAX_UNSENT_ACK_BYTES = 1024 * 1024;
export const MAX_REASON_CHARS = 500;
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
      return refuse('malformed', zodProblems(parsed.error, 'line').map(formatProblem).join('; '), Number.isInteger(n) ? (n as number) : null);
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
      let waiting = 0;
      let ackTimer: TimerHandle | undefined;
      let graceTimer: TimerHandle | undefined;
      let open = true;
      /** The neighbour is not reading the answers: read no more lines until it has. */
      let congested = false;
      let ended = false;
      /** Received and not yet read, oldest first: what arrived while congested, or the rest of a chunk. */
      const backlog: Buffer[] = [];
      /** The start of the next line, in the pieces it came in (none holds a newline). */
      let partial: Buffer[] = [];
      let partialBytes = 0;

      const flush = () => {
        if (ackTimer !== undefined) clock.clearTimeout(ackTimer);
        ackTimer = undefined;
        const text = acks;
        acks = '';
        waiting = 0;
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
        if (++waiting >= ackBatch) flush();
        else ackTimer ??= clock.setTimeout(flush, ackDelayMs);
      };
      // Once the last line is out, the connection goes: the rest of the request is not worth reading, and is not
      // read (paused) while the last answers wait for a neighbour that may never read them.
      const stop = () => {
        if (!open) return;
        open = false;
        backlog.length = 0;
        partial = [];
        partialBytes = 0;
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
      // Each byte is scanned for a newline once, and a line is joined from its pieces once.
      const pump = () => {
        while (open && !congested) {
          const chunk = backlog.shift();
          if (chunk === undefined) break;
          const end = chunk.indexOf(10);
          if (partialBytes + (end < 0 ? chunk.length : end) > maxLineBytes) return tooLarge();
          if (end < 0) {
            partial.push(chunk);
            partialBytes += chunk.length;
            continue;
          }
          if (end + 1 < chunk.length) backlog.unshift(chunk.subarray(end + 1));
          const bytes = partial.length === 0 ? chunk.subarray(0, end) : Buffer.concat([...partial, chunk.subarray(0, end)]);
          partial = [];
          partialBytes = 0;
          if (bytes.length > 0) line(bytes);
        }
        if (!open || congested || backlog.length > 0) return;
        if (!ended) return void request.resume();
        if (partialBytes > 0) line(Buffer.concat(partial));
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
        if (!open) return;
        backlog.push(chunk);
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

/** Far more than an answer line takes (its reason is cut to MAX_REASON_CHARS, at most six characters each once escaped). */
export const MAX_ACK_LINE_CHARS = 8 * 1024;

/** Thrown when a neighbour refuses a message for a reason a retry would not change. */
export class DeliveryRefused extends Error {}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  id: string;
  sentAt: number;
}

interface Stream {
  url: string;
  request: ReturnType<PeerClient['open']>;
  next: number;
  /** In the order sent, so the first entry is the oldest. */
  pending: Map<number, Pending>;
  /** One watchdog per stream rather than a timer per message: it wakes when the oldest message is due. */
  watchdog: TimerHandle | undefined;
  closed: boolean;
}

export interface FloodStreams {
  /**
   * Delivers one message to one neighbour over its stream (opened on first use, and again after it broke).
   * Resolves when it was taken, or when the neighbour already had it (409); rejects on a broken stream or a missing
   * acknowledgement (worth a retry) and with DeliveryRefused on other refusals.
   */
  deliver(to: string, message: FloodMessage): Promise<void>;
  close(): void;
}

export function createFloodStreams(options: {
  client: PeerClient;
  targetOf(node: string): PeerTarget | undefined;
  certificates: NodeCertificates;
  /** A message not acknowledged by then ends its stream: the neighbour is gone or stuck. */
  ackTimeoutMs: number;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
}): FloodStreams {
  const { clock } = options;
  const streams = new Map<string, Stream>();
  // A message goes to several neighbours: its JSON (with the certificate) is written once and reused for each line.
  const encoded = new WeakMap<FloodMessage, { certificate: string; tail: string }>();
  const lineOf = (n: number, message: FloodMessage, certificate: string) => {
    let entry = encoded.get(message);
    if (entry?.certificate !== certificate) {
      entry = { certificate, tail: `,"message":${JSON.stringify(message)},"certificate":${JSON.stringify(certificate)}}\n` };
      encoded.set(message, entry);
    }
    return `{"n":${n}${entry.tail}`;
  };

  const fail = (to: string, stream: Stream, error: Error) => {
    if (stream.closed) return;
    stream.closed = true;
    if (streams.get(to) === stream) streams.delete(to);
    if (stream.watchdog !== undefined) clock.clearTimeout(stream.watchdog);
    for (const entry of stream.pending.values()) entry.reject(error);
    stream.pending.clear();
    stream.request.destroy();
  };

  const acknowledge = (to: string, stream: Stream, ack: FloodAck) => {
    const entry = ack.n === null ? undefined : stream.pending.get(ack.n);
    if (!entry) return fail(to, stream, new Error(`${to} ended the flood stream: ${ack.reason ?? 'out of step'}`));
    stream.pending.delete(ack.n!);
    if (ack.status < 300 || ack.status === 409) entry.resolve();
    else if (ack.status < 500) entry.reject(new DeliveryRefused(`${to} refused it: ${ack.status} ${ack.error ?? ''} ${ack.reason ?? ''}`));
    else entry.reject(new Error(`${to} failed on it: ${ack.status}`));
  };

  const watch = (to: string, stream: Stream) => {
    if (stream.watchdog !== undefined || stream.closed) return;
    const oldest = stream.pending.values().next().value;
    if (oldest === undefined) return;
    const due = oldest.sentAt + options.ackTimeoutMs - clock.now();
    if (due <= 0) return fail(to, stream, new Error(`${to} did not acknowledge ${oldest.id} within ${options.ackTimeoutMs} ms`));
    stream.watchdog = clock.setTimeout(() => {
      stream.watchdog = undefined;
      watch(to, stream);
    }, due);
  };

  const open = (to: string, target: PeerTarget): Stream => {
    const stream: Stream = { url: target.url, request: options.client.open(target, agentApi.flood.path, NDJSON), next: 0, pending: new Map(), watchdog: undefined, closed: false };
    stream.request.on('response', (response) => {
      response.setEncoding('utf8');
      if (response.statusCode !== 200) {
        let text = '';
        response.on('data', (chunk: string) => (text += chunk.slice(0, 500 - text.length)));
        response.on('end', () => {
          const Refused = response.statusCode !== undefined && response.statusCode < 500 ? DeliveryRefused : Error;
          fail(to, stream, new Refused(`${to} refused the flood stream: ${response.statusCode} ${text}`));
        });
        return;
      }
      // The start of the next answer line: only each new chunk is scanned for newlines.
      let partial = '';
      response.on('data', (chunk: string) => {
        let start = 0;
        for (let end = chunk.indexOf('\n'); end >= 0 && !stream.closed; end = chunk.indexOf('\n', start)) {
          const line = partial + chunk.slice(start, end);
          partial = '';
          start = end + 1;
          try {
            acknowledge(to, stream, JSON.parse(line) as FloodAck);
          } catch {
            fail(to, stream, new Error(`${to} answered a line that is not JSON`));
          }
        }
        if (stream.closed) return;
        partial += chunk.slice(start);
        if (partial.length > MAX_ACK_LINE_CHARS) fail(to, stream, new Error(`${to} answered a line longer than ${MAX_ACK_LINE_CHARS} characters`));
      });
      response.on('close', () => fail(to, stream, new Error(`the flood stream to ${to} closed`)));
    });
    stream.request.on('error', (error) => fail(to, stream, error));
    stream.request.on('close', () => fail(to, stream, new Error(`the flood stream to ${to} closed`)));
    streams.set(to, stream);
    return stream;
  };

  return {
    deliver(to, message) {
      const target = options.targetOf(to);
      if (!target) return Promise.reject(new DeliveryRefused(`${to} is not a neighbour with an address`));
      const certificate = options.certificates.certificateOf(message.origin);
      if (!certificate) return Promise.reject(new DeliveryRefused(`no certificate of ${message.origin} to send with its message`));
      let stream = streams.get(to);
      if (stream && stream.url !== target.url) fail(to, stream, new Error(`${to} moved to ${target.url}`));
      stream = streams.get(to);
      if (!stream || stream.closed) stream = open(to, target);
      const live = stream;
      const n = live.next++;
      return new Promise<void>((resolve, reject) => {
        live.pending.set(n, { resolve, reject, id: message.id, sentAt: clock.now() });
        watch(to, live);
        live.request.write(lineOf(n, message, certificate));
      });
    },
    close() {
      for (const [to, stream] of [...streams]) fail(to, stream, new Error('the agent is stopping'));
    },
  };
}
