// The sending side of flooding: one long-lived HTTPS request per neighbour carries its messages as JSON lines, with a
// window of messages in flight and one watchdog per stream; the response's lines acknowledge them. A request per
// message would cost several times the CPU.
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { NodeCertificates } from '../identity/nodeCertificates.ts';
import { NDJSON, NO_REST, splitLines } from './lineSplitter.ts';
import type { LineRest } from './lineSplitter.ts';
import type { PeerClient, PeerTarget } from './peerClient.ts';

/** Far more than an answer line takes (its reason is cut to 500 characters, see floodStreamServer.ts; at most six each once escaped). */
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
  // A message goes to several neighbours: its line's tail (with the certificate) is written once and reused for each line.
  const encoded = new WeakMap<FloodMessage, { certificate: string; tail: string }>();
  const lineOf = (n: number, message: FloodMessage, certificate: string) => {
    let entry = encoded.get(message);
    if (entry?.certificate !== certificate) {
      entry = { certificate, tail: `,"message":${messageJson(message)},"certificate":${JSON.stringify(certificate)}}\n` };
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
      // Decoded once per chunk: each answer line is then a slice of it.
      let rest: LineRest<string> = NO_REST;
      response.on('data', (chunk: string) => {
        if (stream.closed) return;
        const split = splitLines(rest, chunk, MAX_ACK_LINE_CHARS);
        for (const line of split.lines) {
          try {
            acknowledge(to, stream, JSON.parse(line) as FloodAck);
          } catch {
            fail(to, stream, new Error(`${to} answered a line that is not JSON`));
          }
          if (stream.closed) return;
        }
        if (split.tooLong) fail(to, stream, new Error(`${to} answered a line longer than ${MAX_ACK_LINE_CHARS} characters`));
        else rest = split.rest;
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

/**
 * A message's JSON, written once per process: every agent of a host that runs many (the sandbox) forwards the same
 * message object (verifiedMessages.ts), and messages are never changed once made.
 */
const messagesJson = new WeakMap<FloodMessage, string>();
function messageJson(message: FloodMessage): string {
  let json = messagesJson.get(message);
  if (json === undefined) messagesJson.set(message, (json = JSON.stringify(message)));
  return json;
}
