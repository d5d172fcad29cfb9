import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ClientRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { FloodMessage } from '../../src-shared/protocol/messages.ts';
import { createManualClock } from '../clock.ts';
import type { NodeCertificates } from '../identity/nodeCertificates.ts';
import { DeliveryRefused, MAX_ACK_LINE_CHARS, createFloodStreams } from './floodStreamClient.ts';
import type { FloodAck } from '../../src-shared/protocol/agentApi.ts';
import type { PeerClient } from './peerClient.ts';

/** A flood stream's request as the client sees it: what was written, and a response the test answers on. */
class FakeStream extends EventEmitter {
  readonly lines: Array<{ n: number; message: FloodMessage; certificate: string }> = [];
  /** Bytes, as an IncomingMessage gives them unless asked to decode them. */
  readonly response = Object.assign(new PassThrough(), { statusCode: 200 });
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

/** Two messages on one stream to root-2, whose answer has begun. */
function twoOnOneStream() {
  const { streams, opened } = setup();
  const first = streams.deliver('root-2', message(1));
  const second = streams.deliver('root-2', message(2));
  const { stream } = opened[0]!;
  stream.respond();
  return { first, second, stream };
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
    const { first, second, stream } = twoOnOneStream();
    stream.response.write('{"n":0,');
    stream.response.write('"status":202}');
    stream.response.write('\n');
    await expect(first).resolves.toBeUndefined();
    for (let i = 0; i < 10; i++) stream.response.write('x'.repeat(1000));
    await expect(second).rejects.toThrow(`root-2 answered a line longer than ${MAX_ACK_LINE_CHARS} characters`);
    expect(stream.destroyed).toBe(true);
  });

  it('reads an acknowledgement whose characters are cut between chunks', async () => {
    const { streams, opened } = setup();
    const refused = streams.deliver('root-2', message(1));
    const { stream } = opened[0]!;
    stream.respond();
    const line = Buffer.from(`${JSON.stringify({ n: 0, status: 403, error: 'bad_signature', reason: 'cut short…' })}\n`);
    const cut = line.indexOf('…') + 1;
    stream.response.write(line.subarray(0, cut));
    stream.response.write(line.subarray(cut));
    await expect(refused).rejects.toThrow('root-2 refused it: 403 bad_signature cut short…');
  });

  it('fails a stream that answers a whole line longer than the bound, after the lines before it', async () => {
    const { first, second, stream } = twoOnOneStream();
    stream.response.write(`${JSON.stringify({ n: 0, status: 202 })}\n${JSON.stringify({ n: 1, status: 202, reason: 'x'.repeat(MAX_ACK_LINE_CHARS) })}\n`);
    await expect(first).resolves.toBeUndefined();
    await expect(second).rejects.toThrow(`root-2 answered a line longer than ${MAX_ACK_LINE_CHARS} characters`);
  });

  it('refuses at once a message to a node that is not a neighbour, or whose origin it has no certificate for', async () => {
    const { streams } = setup();
    const noTarget = createFloodStreams({ client: {} as PeerClient, targetOf: () => undefined, certificates, ackTimeoutMs: 1, clock: createManualClock(0) });
    await expect(noTarget.deliver('root-9', message(1))).rejects.toBeInstanceOf(DeliveryRefused);
    const stranger = { ...message(1), origin: 'root-5', id: 'root-5.1' } as FloodMessage;
    await expect(streams.deliver('root-2', stranger)).rejects.toThrow(/no certificate of root-5/);
  });
});
