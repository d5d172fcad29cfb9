import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import { createManualClock, settle } from '../clock.ts';
import type { NodeCertificates } from '../identity/nodeCertificates.ts';
import type { FloodRouter } from '../flood/router.ts';
import { RefusalCounter } from './refusal.ts';
import type { Caller } from './route.ts';
import { floodStreamHandler } from './floodStreamServer.ts';
import { MAX_REASON_CHARS } from './refusalReason.ts';
import { NDJSON } from './lineSplitter.ts';

const message = (seq: number): FloodMessage =>
  ({ id: `root-1.${seq}`, origin: 'root-1', type: 'confirm_deploy', ts: 1, body: { topologyId: `t${seq}` }, sig: 'x'.repeat(86) }) as FloodMessage;

/**
 * The server's side of one stream: lines go in as request data, acknowledgements come out as response writes.
 * `peer` plays the neighbour's reading: while `reading` is false the response's write() says its buffer is full and
 * end() does not complete; `unsent` is what the response reports as written and not yet sent.
 */
function serve(receive: FloodRouter['receive'], limits: { maxUnsentAckBytes?: number; stopGraceMs?: number } = {}) {
  const router = { receive } as FloodRouter;
  const certificates = { learn: () => ({ node: 'root-1' }) } as unknown as NodeCertificates;
  const refusals = new RefusalCounter();
  const clock = createManualClock(0);
  const route = floodStreamHandler({ router, certificates, refusals, maxLineBytes: 4096, clock, ackDelayMs: 50, ackBatch: 4, ...limits });
  const request = Object.assign(new PassThrough(), { headers: { 'content-type': NDJSON } });
  const writes: string[] = [];
  const peer = { reading: true, unsent: 0 };
  let ended = false;
  let destroyed = false;
  const response = Object.assign(new EventEmitter(), {
    writeHead: () => undefined,
    flushHeaders: () => undefined,
    write: (text: string) => (writes.push(text), peer.reading),
    end: (done?: () => void) => {
      ended = true;
      if (peer.reading) done?.();
    },
    destroy: () => {
      destroyed = true;
    },
  });
  Object.defineProperty(response, 'writableLength', { get: () => peer.unsent });
  route.stream({ node: 'root-2' } as Caller, request as unknown as IncomingMessage, response as unknown as ServerResponse);
  const line = (n: number) => `${JSON.stringify({ n, message: message(n + 1), certificate: 'CERT' })}\n`;
  /** The neighbour reads what was waiting. */
  const drain = () => {
    peer.reading = true;
    response.emit('drain');
  };
  return { request, writes, refusals, line, clock, peer, drain, ended: () => ended, destroyed: () => destroyed };
}

const acked = (writes: string[]) => writes.join('').trim().split('\n').map((text) => (JSON.parse(text) as FloodAck).n);

describe('floodStreamHandler', () => {
  it('acknowledges the lines of a burst together, once the acknowledgement delay has passed', async () => {
    const { request, writes, refusals, line, clock } = serve((_from, raw) =>
      (raw as FloodMessage).id === 'root-1.2' ? { accepted: false, reason: 'duplicate' } : { accepted: true },
    );
    request.write(line(0) + line(1));
    request.write(line(2));
    await settle();
    await clock.advanceAsync(49);
    expect(writes).toEqual([]);
    await clock.advanceAsync(1);
    expect(writes).toHaveLength(1);
    const acks = writes[0]!.trim().split('\n').map((text) => JSON.parse(text) as FloodAck);
    expect(acks.map((a) => [a.n, a.status, a.error])).toEqual([
      [0, 202, undefined],
      [1, 409, 'duplicate'],
      [2, 202, undefined],
    ]);
    expect(refusals.snapshot()).toEqual({ duplicate: 1 });
  });

  it('answers a line it cannot match to a message at once and ends the stream', async () => {
    const { request, writes, ended } = serve(() => ({ accepted: true }));
    request.write('{"not json\n');
    await settle();
    expect(ended()).toBe(true);
    expect(JSON.parse(writes.join(''))).toMatchObject({ n: null, status: 400, error: 'malformed' });
  });

  it('sends the acknowledgements at once when a batch is full, so the sender’s window keeps moving', async () => {
    const { request, writes, line, clock } = serve(() => ({ accepted: true }));
    request.write(line(0) + line(1) + line(2) + line(3) + line(4));
    await settle();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.trim().split('\n').map((text) => (JSON.parse(text) as FloodAck).n)).toEqual([0, 1, 2, 3]);
    await clock.advanceAsync(50);
    expect(writes).toHaveLength(2);
    expect(JSON.parse(writes[1]!)).toMatchObject({ n: 4, status: 202 });
  });

  it('reads no more lines while the neighbour does not read the answers, and goes on once it does', async () => {
    const received: string[] = [];
    const { request, writes, line, peer, drain } = serve((_from, raw) => (received.push((raw as FloodMessage).id), { accepted: true }));
    peer.reading = false;
    request.write(Array.from({ length: 10 }, (_, n) => line(n)).join(''));
    await settle();
    // The first batch filled the response: the rest of the chunk waits, and so does the request.
    expect(received).toHaveLength(4);
    expect(request.isPaused()).toBe(true);
    request.write(line(10));
    await settle();
    expect(received).toHaveLength(4);
    drain();
    await settle();
    expect(received).toHaveLength(11);
    expect(acked(writes.slice(0, 2))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(request.isPaused()).toBe(false);
  });

  it('ends a stream whose unread acknowledgements pass the bound, with the reason', async () => {
    const { request, writes, line, peer, refusals, ended } = serve(() => ({ accepted: true }), { maxUnsentAckBytes: 1000 });
    peer.unsent = 1001;
    request.write(line(0) + line(1) + line(2) + line(3) + line(4));
    await settle();
    expect(ended()).toBe(true);
    expect(JSON.parse(writes.at(-1)!)).toMatchObject({ n: null, status: 413, error: 'too_large', reason: 'more than 1000 bytes of acknowledgements are unread' });
    expect(refusals.snapshot()).toMatchObject({ too_large: 1 });
  });

  it('once ended, reads nothing more, and cuts the connection if its last answers stay unread', async () => {
    const received: string[] = [];
    const { request, line, peer, clock, ended, destroyed } = serve((_from, raw) => (received.push((raw as FloodMessage).id), { accepted: true }), { stopGraceMs: 1000 });
    peer.reading = false;
    request.write('{"not json\n' + line(0));
    await settle();
    expect(ended()).toBe(true);
    expect(request.isPaused()).toBe(true);
    request.write('A'.repeat(10_000));
    request.write(line(1));
    await settle();
    expect(received).toEqual([]);
    await clock.advanceAsync(999);
    expect(destroyed()).toBe(false);
    await clock.advanceAsync(1);
    expect(destroyed()).toBe(true);
  });

  it('joins a line that comes in pieces, and refuses one that grows past the limit before its newline', async () => {
    const { request, writes, line, clock, ended } = serve(() => ({ accepted: true }));
    const whole = line(0);
    request.write(whole.slice(0, 10));
    request.write(whole.slice(10, 20));
    request.write(whole.slice(20));
    await settle();
    await clock.advanceAsync(50);
    expect(acked(writes)).toEqual([0]);
    for (let i = 0; i < 5; i++) request.write('A'.repeat(1000));
    await settle();
    expect(ended()).toBe(true);
    expect(JSON.parse(writes.at(-1)!)).toMatchObject({ n: null, status: 413, error: 'too_large' });
  });

  it('cuts a long reason short', async () => {
    const { request, writes, clock } = serve(() => ({ accepted: false, reason: 'bad_signature', detail: 'x'.repeat(5000) }));
    request.write(`${JSON.stringify({ n: 0, message: message(1), certificate: 'CERT' })}\n`);
    await settle();
    await clock.advanceAsync(50);
    expect((JSON.parse(writes[0]!) as FloodAck).reason).toHaveLength(MAX_REASON_CHARS + 1);
  });
});
