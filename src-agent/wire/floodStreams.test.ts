import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ClientRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { createManualClock, settle } from '../clock.ts';
import type { NodeCertificates } from '../identity/nodeCertificates.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FloodRouter } from '../flood/router.ts';
import { RefusalCounter } from './refusal.ts';
import type { Caller } from './route.ts';
import { DeliveryRefused, MAX_ACK_LINE_CHARS, MAX_REASON_CHARS, NDJSON, createFloodStreams, floodStreamHandler } from './floodStreams.ts';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import type { PeerClient } from './peerClient.ts';

/** A flood stream's request as the client sees it: what was written, and a response the test answers on. */
class FakeStream extends EventEmitter {
  readonly lines: Array<{ n: number; message: FloodMessage; certificate: string }> = [];
  readonly response = Object.assign(new PassThrough({ encoding: 'utf8' }), { statusCode: 200 });
  destroyed = false;
  write(text: string) {
    for (const line of text.split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    return true;
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
  respond() {
    this.emit('response', this.response);
  }
  ack(...acks: FloodAck[]) {
    this.response.write(acks.map((a) => `${JSON.stringify(a)}\n`).join(''));
  }
}

const message = (seq: number): FloodMessage =>
  ({ id: `root-1.${seq}`, origin: 'root-1', type: 'confirm_deploy', ts: 1, body: { topologyId: `t${seq}` }, sig: 'x'.repeat(86) }) as FloodMessage;

const certificates = { certificateOf: (node: string) => (node === 'root-1' ? 'CERT' : undefined) } as unknown as NodeCertificates;

function setup(ackTimeoutMs = 1_000) {
  const opened: Array<{ to: string; stream: FakeStream }> = [];
  const client = {
    open: (target: { node: string }) => {
      const stream = new FakeStream();
      opened.push({ to: target.node, stream });
      return stream as unknown as ClientRequest;
    },
  } as unknown as PeerClient;
  const clock = createManualClock(0);
  const streams = createFloodStreams({ client, targetOf: (node) => ({ node, url: `https://${node}.test:1` }), certificates, ackTimeoutMs, clock });
  return { streams, opened, clock };
}

describe('createFloodStreams', () => {
  it('numbers the lines of a stream and settles each delivery by its acknowledgement: taken, already had, refused', async () => {
    const { streams, opened } = setup();
    const taken = streams.deliver('root-2', message(1));
    const had = streams.deliver('root-2', message(2));
    const refused = streams.deliver('root-2', message(3));
    expect(opened).toHaveLength(1);
    const { stream } = opened[0]!;
    expect(stream.lines.map((l) => [l.n, l.message.id, l.certificate])).toEqual([
      [0, 'root-1.1', 'CERT'],
      [1, 'root-1.2', 'CERT'],
      [2, 'root-1.3', 'CERT'],
    ]);
    stream.respond();
    stream.ack({ n: 1, status: 409, error: 'duplicate' }, { n: 0, status: 202 }, { n: 2, status: 403, error: 'bad_signature', reason: 'no' });
    await expect(taken).resolves.toBeUndefined();
    await expect(had).resolves.toBeUndefined();
    await expect(refused).rejects.toBeInstanceOf(DeliveryRefused);
  });

  it('writes the same message to several neighbours with the same content', () => {
    const { streams, opened } = setup();
    const m = message(7);
    void streams.deliver('root-2', m);
    void streams.deliver('root-3', m);
    expect(opened.map((o) => o.to)).toEqual(['root-2', 'root-3']);
    expect(opened[1]!.stream.lines[0]).toEqual(opened[0]!.stream.lines[0]);
    expect(opened[0]!.stream.lines[0]!.message).toEqual(m);
  });

  it('ends a stream whose oldest message is not acknowledged in time, and opens a new one for the next message', async () => {
    const { streams, opened, clock } = setup(1_000);
    const first = streams.deliver('root-2', message(1));
    const failed = expect(first).rejects.toThrow(/did not acknowledge root-1.1 within 1000 ms/);
    await clock.advanceAsync(600);
    const second = streams.deliver('root-2', message(2));
    const secondFailed = expect(second).rejects.toThrow(/did not acknowledge root-1.1/);
    await clock.advanceAsync(399);
    expect(opened[0]!.stream.destroyed).toBe(false);
    await clock.advanceAsync(1);
    await failed;
    // Every message still waiting on the broken stream fails with it, to be retried by the sender.
    await secondFailed;
    expect(opened[0]!.stream.destroyed).toBe(true);
    void streams.deliver('root-2', message(3)).catch(() => undefined);
    expect(opened).toHaveLength(2);
  });

  it('keeps a stream whose messages are acknowledged, however long it lives', async () => {
    const { streams, opened, clock } = setup(1_000);
    for (let seq = 1; seq <= 5; seq++) {
      const delivered = streams.deliver('root-2', message(seq));
      const live = opened[0]!.stream;
      if (seq === 1) live.respond();
      await clock.advanceAsync(900);
      live.ack({ n: seq - 1, status: 202 });
      await expect(delivered).resolves.toBeUndefined();
    }
    await clock.advanceAsync(5_000);
    expect(clock.pending()).toBe(0);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.stream.destroyed).toBe(false);
  });

  it('reads an acknowledgement that comes in pieces, and fails a stream whose answer line has no end', async () => {
    const { streams, opened } = setup();
    const first = streams.deliver('root-2', message(1));
    const second = streams.deliver('root-2', message(2));
    const { stream } = opened[0]!;
    stream.respond();
    stream.response.write('{"n":0,');
    stream.response.write('"status":202}');
    stream.response.write('\n');
    await expect(first).resolves.toBeUndefined();
    for (let i = 0; i < 10; i++) stream.response.write('x'.repeat(1000));
    await expect(second).rejects.toThrow(`root-2 answered a line longer than ${MAX_ACK_LINE_CHARS} characters`);
    expect(stream.destroyed).toBe(true);
  });

  it('refuses at once a message to a node that is not a neighbour, or whose origin it has no certificate for', async () => {
    const { streams } = setup();
    const noTarget = createFloodStreams({ client: {} as PeerClient, targetOf: () => undefined, certificates, ackTimeoutMs: 1, clock: createManualClock(0) });
    await expect(noTarget.deliver('root-9', message(1))).rejects.toBeInstanceOf(DeliveryRefused);
    const stranger = { ...message(1), origin: 'root-5', id: 'root-5.1' } as FloodMessage;
    await expect(streams.deliver('root-2', stranger)).rejects.toThrow(/no certificate of root-5/);
  });
});

/** The server's side of one stream: lines go in as request data, acknowledgements come out as response writes. */
/**
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
