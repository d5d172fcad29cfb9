import { describe, expect, it } from 'vitest';
import type { SocketLike } from './socketTransport.ts';
import { socketTransport } from './socketTransport.ts';

/** A socket the test drives by hand: it records what was sent and fires open, message and close on request. */
class FakeSocket implements SocketLike {
  sent: unknown[] = [];
  closed = false;
  private handlers = new Map<string, Array<(event: { data: unknown }) => void>>();
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
    this.fire('close');
  }
  addEventListener(type: string, listener: (event: { data: unknown }) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  fire(type: string, data?: unknown) {
    for (const listener of this.handlers.get(type) ?? []) listener({ data });
  }
  reply(message: unknown) {
    this.fire('message', JSON.stringify(message));
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const urls: string[] = [];
  const transport = socketTransport('ws://127.0.0.1:9/contract?token=t0ps3cret', (url) => {
    urls.push(url);
    const socket = new FakeSocket();
    sockets.push(socket);
    return socket;
  });
  return { transport, sockets, urls };
}

describe('socketTransport', () => {
  it('connects at once, sends calls after the socket opens and pairs replies by id', async () => {
    const { transport, sockets, urls } = setup();
    expect(urls).toEqual(['ws://127.0.0.1:9/contract?token=t0ps3cret']);
    const first = transport.call('topology.get', undefined);
    const second = transport.call('topology.open', { path: '/a' });
    const socket = sockets[0]!;
    socket.fire('open');
    await expect.poll(() => socket.sent).toEqual([
      { id: 1, name: 'topology.get' },
      { id: 2, name: 'topology.open', input: { path: '/a' } },
    ]);
    socket.reply({ id: 2, reply: { ok: false, error: { code: 'bad-input', message: 'path: too short' } } });
    socket.reply({ id: 99, reply: { ok: true, value: 'nobody asked' } });
    socket.reply({ id: 1, reply: { ok: true, value: 'state' } });
    await expect(first).resolves.toBe('state');
    await expect(second).rejects.toMatchObject({ name: 'ContractError', code: 'bad-input', message: 'path: too short' });
  });

  it('hands events to their listeners only, until they stop listening, and ignores garbage', () => {
    const { transport, sockets } = setup();
    const heard: unknown[] = [];
    const stop = transport.on('topology.didChange', (payload) => heard.push(payload));
    transport.on('other', () => heard.push('wrong'));
    const socket = sockets[0]!;
    socket.fire('open');
    socket.reply({ event: 'topology.didChange', payload: 1 });
    socket.fire('message', 'not json');
    socket.reply({ what: 'ever' });
    stop();
    socket.reply({ event: 'topology.didChange', payload: 2 });
    expect(heard).toEqual([1]);
  });

  it('rejects waiting calls when the connection drops, and reconnects on the next call', async () => {
    const { transport, sockets } = setup();
    sockets[0]!.fire('open');
    const waiting = transport.call('topology.get', undefined);
    await expect.poll(() => sockets[0]!.sent.length).toBe(1);
    sockets[0]!.fire('close');
    await expect(waiting).rejects.toMatchObject({ code: 'disconnected', message: 'lost the connection to ws://127.0.0.1:9/contract' });
    const next = transport.call('topology.get', undefined);
    expect(sockets).toHaveLength(2);
    sockets[1]!.fire('open');
    await expect.poll(() => sockets[1]!.sent).toEqual([{ id: 2, name: 'topology.get' }]);
    sockets[1]!.reply({ id: 2, reply: { ok: true, value: 'again' } });
    await expect(next).resolves.toBe('again');
  });

  it('says it cannot connect, without the token', async () => {
    const { transport, sockets } = setup();
    const call = transport.call('topology.get', undefined);
    sockets[0]!.fire('close');
    const error = await call.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'disconnected', message: 'cannot connect to ws://127.0.0.1:9/contract' });
    expect(String((error as Error).message)).not.toContain('t0ps3cret');
  });

  it('closes its socket when asked', async () => {
    const { transport, sockets } = setup();
    sockets[0]!.fire('open');
    transport.close();
    await expect.poll(() => sockets[0]!.closed).toBe(true);
  });
});
