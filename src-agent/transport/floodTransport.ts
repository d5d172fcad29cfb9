// Flooded messages on the wire: one long-lived HTTPS request per neighbour carries them as JSON lines, and its
// response carries an acknowledgement line for each. A request per message would cost several times the CPU.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { formatProblem } from '../../src-shared/topology/validate.ts';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { zodProblems } from '../../src-shared/validation/zodProblems.ts';
import type { FloodRouter } from '../flood/router.ts';
import type { NodeCertificates } from '../identity/nodeCertificates.ts';
import { Refusal } from '../server/refusal.ts';
import type { RefusalCounter } from '../server/refusal.ts';
import type { Caller, StreamRoute } from '../server/route.ts';
import type { PeerClient, PeerTarget } from './peerClient.ts';

export const FLOOD_PATH = '/v1/flood';
export const NDJSON = 'application/x-ndjson';

/**
 * One line of the request: `n` numbers it for its acknowledgement; the message travels with its origin's
 * certificate, so a node can check the signature of an origin it has never talked to (checked against the
 * control CA once per certificate, before the message is).
 */
export const FloodLineSchema = z.strictObject({
  n: z.int().nonnegative(),
  message: z.unknown(),
  certificate: z.string().min(1).max(8192),
});

/** One line of the response: 202 taken, or a refusal with its code and reason. `n` is null for a line that could not be read. */
export interface FloodAck {
  n: number | null;
  status: number;
  error?: string;
  reason?: string;
}

const REASONS = {
  malformed: 'not a flood message',
  bad_signature: "the signature is not the origin's",
  unknown_origin: 'the origin is unknown',
  duplicate: 'already seen (a duplicate or a replay)',
  too_old: 'older than the seen-set keeps messages',
  from_future: 'timestamped too far in the future',
} as const;

export function floodRoute(router: FloodRouter, certificates: NodeCertificates, refusals: RefusalCounter, maxLineBytes: number): StreamRoute {
  const accept = (caller: Caller, line: Buffer): number => {
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch (error) {
      throw new Refusal('malformed', `a line is not JSON: ${(error as Error).message}`);
    }
    const parsed = FloodLineSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      const n = (value as { n?: unknown } | null)?.n;
      throw Object.assign(new Refusal('malformed', zodProblems(parsed.error, 'line').map(formatProblem).join('; ')), { n: Number.isInteger(n) ? n : null });
    }
    const { n, message, certificate } = parsed.data;
    const learned = certificates.learn(certificate);
    if ('refused' in learned) throw Object.assign(new Refusal('unknown_origin', learned.refused), { n });
    const result = router.receive(caller.node ?? null, message);
    if (!result.accepted) throw Object.assign(new Refusal(result.reason, result.detail ?? REASONS[result.reason]), { n });
    return n;
  };

  return {
    method: 'POST',
    path: FLOOD_PATH,
    access: ['neighbour'],
    stream(caller: Caller, request: IncomingMessage, response: ServerResponse) {
      const type = request.headers['content-type'] ?? '';
      if (!type.toLowerCase().startsWith(NDJSON)) throw new Refusal('unsupported_media_type', `expected content-type ${NDJSON}, found ${JSON.stringify(type)}`);
      response.writeHead(200, { 'content-type': NDJSON });
      response.flushHeaders();
      const answer = (ack: FloodAck) => response.write(`${JSON.stringify(ack)}\n`);
      let pending: Buffer = Buffer.alloc(0);
      let open = true;
      // Once the last line is out, the connection goes: the rest of the request is not worth reading.
      const stop = () => {
        open = false;
        response.end(() => request.destroy());
      };
      const line = (bytes: Buffer) => {
        try {
          answer({ n: accept(caller, bytes), status: 202 });
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          refusals.count(error.code);
          const n = (error as Refusal & { n?: number | null }).n ?? null;
          answer({ n, status: error.status, error: error.code, reason: error.message });
          // A line that cannot be matched to its sender's message leaves the stream out of step: end it.
          if (n === null) stop();
        }
      };
      request.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        for (let end = pending.indexOf(10); open && end >= 0; end = pending.indexOf(10)) {
          const bytes = pending.subarray(0, end);
          pending = pending.subarray(end + 1);
          if (bytes.length > 0) line(bytes);
        }
        if (open && pending.length > maxLineBytes) {
          refusals.count('too_large');
          answer({ n: null, status: 413, error: 'too_large', reason: `a line exceeds the limit of ${maxLineBytes} bytes` });
          stop();
        }
      });
      request.on('end', () => {
        if (open && pending.length > 0) line(pending);
        if (open) response.end();
      });
      request.on('error', () => response.destroy());
    },
  };
}

/** Thrown when a neighbour refuses a message for a reason a retry would not change. */
export class DeliveryRefused extends Error {}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

interface Stream {
  url: string;
  request: ReturnType<PeerClient['open']>;
  next: number;
  pending: Map<number, Pending>;
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
}): FloodStreams {
  const streams = new Map<string, Stream>();

  const fail = (to: string, stream: Stream, error: Error) => {
    if (stream.closed) return;
    stream.closed = true;
    if (streams.get(to) === stream) streams.delete(to);
    for (const entry of stream.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    stream.pending.clear();
    stream.request.destroy();
  };

  const acknowledge = (to: string, stream: Stream, ack: FloodAck) => {
    const entry = ack.n === null ? undefined : stream.pending.get(ack.n);
    if (!entry) return fail(to, stream, new Error(`${to} ended the flood stream: ${ack.reason ?? 'out of step'}`));
    stream.pending.delete(ack.n!);
    clearTimeout(entry.timer);
    if (ack.status < 300 || ack.status === 409) entry.resolve();
    else if (ack.status < 500) entry.reject(new DeliveryRefused(`${to} refused it: ${ack.status} ${ack.error ?? ''} ${ack.reason ?? ''}`));
    else entry.reject(new Error(`${to} failed on it: ${ack.status}`));
  };

  const open = (to: string, target: PeerTarget): Stream => {
    const stream: Stream = { url: target.url, request: options.client.open(target, FLOOD_PATH, NDJSON), next: 0, pending: new Map(), closed: false };
    stream.request.on('response', (response) => {
      response.setEncoding('utf8');
      if (response.statusCode !== 200) {
        let text = '';
        response.on('data', (chunk: string) => (text += chunk.slice(0, 500)));
        response.on('end', () => {
          const Refused = response.statusCode !== undefined && response.statusCode < 500 ? DeliveryRefused : Error;
          fail(to, stream, new Refused(`${to} refused the flood stream: ${response.statusCode} ${text}`));
        });
        return;
      }
      let partial = '';
      response.on('data', (chunk: string) => {
        partial += chunk;
        for (let end = partial.indexOf('\n'); end >= 0; end = partial.indexOf('\n')) {
          const line = partial.slice(0, end);
          partial = partial.slice(end + 1);
          try {
            acknowledge(to, stream, JSON.parse(line) as FloodAck);
          } catch {
            fail(to, stream, new Error(`${to} answered a line that is not JSON`));
          }
        }
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
        const timer = setTimeout(() => fail(to, live, new Error(`${to} did not acknowledge ${message.id} within ${options.ackTimeoutMs} ms`)), options.ackTimeoutMs);
        timer.unref();
        live.pending.set(n, { resolve, reject, timer });
        live.request.write(`${JSON.stringify({ n, message, certificate })}\n`);
      });
    },
    close() {
      for (const [to, stream] of [...streams]) fail(to, stream, new Error('the agent is stopping'));
    },
  };
}
