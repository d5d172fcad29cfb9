import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocketConnection } from './acceptWebSocket.ts';
import { acceptKey, acceptWebSocket, handshakeProblem, refuseUpgrade } from './acceptWebSocket.ts';
import { OPCODE } from './frameReader.ts';
import { clientFrame, rawUpgrade, upgradeHeaders } from './webSocket.testkit.ts';

let server: Server;
let port: number;
let closes: number[];
let connections: WebSocketConnection[];

/** An echo server: answers every text with it in capitals. */
beforeEach(async () => {
  closes = [];
  connections = [];
  server = createServer();
  server.on('upgrade', (request, socket, head) => {
    const problem = handshakeProblem(request);
    if (problem) return refuseUpgrade(socket, 400, 'Bad Request', problem);
    const connection = acceptWebSocket(request, socket, head, { maxMessageBytes: 1000, closeGraceMs: 50 });
    connections.push(connection);
    connection.onMessage((text) => connection.send(text.toUpperCase()));
    connection.onClose((code) => closes.push(code));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;

describe('handshake', () => {
  it('computes the accept value of RFC 6455 §1.3', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  const good = { upgrade: 'websocket', connection: 'keep-alive, Upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
  it.each([
    { what: 'a correct handshake', method: 'GET', headers: good, want: null },
    { what: 'a POST', method: 'POST', headers: good, want: 'a WebSocket handshake is a GET' },
    { what: 'no Upgrade', method: 'GET', headers: { ...good, upgrade: 'h2c' }, want: 'Upgrade: websocket expected' },
    { what: 'no Connection: Upgrade', method: 'GET', headers: { ...good, connection: 'close' }, want: 'Connection: Upgrade expected' },
    { what: 'version 8', method: 'GET', headers: { ...good, 'sec-websocket-version': '8' }, want: 'Sec-WebSocket-Version: 13 expected' },
    { what: 'a short key', method: 'GET', headers: { ...good, 'sec-websocket-key': 'abcd' }, want: 'Sec-WebSocket-Key must be 16 bytes in base64' },
  ])('judges $what', ({ method, headers, want }) => {
    expect(handshakeProblem(request(method, headers))).toBe(want);
  });
});

describe('acceptWebSocket', () => {
  it('talks to a standard client (Node’s WebSocket) and hears it close', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve);
      socket.addEventListener('error', reject);
    });
    const answer = new Promise<string>((resolve) => socket.addEventListener('message', (e) => resolve(String(e.data))));
    socket.send('héllo '.repeat(50));
    expect(await answer).toBe('HÉLLO '.repeat(50));
    const closed = new Promise<number>((resolve) => socket.addEventListener('close', (e) => resolve(e.code)));
    socket.close(1000);
    expect(await closed).toBe(1000);
    expect(closes).toEqual([1000]);
  });

  it('answers a ping with a pong carrying the same bytes, also when the frame came with the handshake', async () => {
    const client = await rawUpgrade(port, '/', upgradeHeaders(port), clientFrame(OPCODE.ping, 'abc'));
    expect(client.head).toContain('HTTP/1.1 101 Switching Protocols');
    expect(client.head).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    await expect.poll(() => [...client.received()]).toEqual([0x8a, 3, 0x61, 0x62, 0x63]);
    client.socket.write(clientFrame(OPCODE.ping, ''));
    await expect.poll(() => [...client.received()]).toEqual([0x8a, 3, 0x61, 0x62, 0x63, 0x8a, 0]);
    client.socket.destroy();
    await expect.poll(() => closes).toEqual([1001]);
  });

  it('answers a close with a close and ends the connection', async () => {
    const client = await rawUpgrade(port, '/', upgradeHeaders(port));
    client.socket.write(clientFrame(OPCODE.close, Buffer.from([0x03, 0xe9])));
    await client.ended;
    expect([...client.received()]).toEqual([0x88, 2, 0x03, 0xe9]);
    expect(closes).toEqual([1001]);
  });

  it('closes with 1002 on a protocol error and with 1009 on a message over the limit', async () => {
    const unmasked = await rawUpgrade(port, '/', upgradeHeaders(port));
    unmasked.socket.write(clientFrame(OPCODE.text, 'x', { masked: false }));
    await expect.poll(() => unmasked.received().subarray(0, 4).readUInt16BE(2)).toBe(1002);
    const big = await rawUpgrade(port, '/', upgradeHeaders(port));
    big.socket.write(clientFrame(OPCODE.text, 'x'.repeat(1001)));
    await expect.poll(() => big.received().subarray(0, 4).readUInt16BE(2)).toBe(1009);
    await Promise.all([unmasked.ended, big.ended]);
    expect(closes.sort()).toEqual([1002, 1009]);
  });

  it('refuses a request that is not a handshake with a plain HTTP answer', async () => {
    const client = await rawUpgrade(port, '/', upgradeHeaders(port, { 'Sec-WebSocket-Version': '7' }));
    expect(client.head).toMatch(/^HTTP\/1.1 400 Bad Request/);
    await client.ended;
  });

  it('sends nothing after closing', async () => {
    const client = await rawUpgrade(port, '/', upgradeHeaders(port));
    await expect.poll(() => connections.length).toBe(1);
    connections[0]!.close(1000, 'done');
    connections[0]!.send('late');
    await client.ended;
    expect([...client.received()]).toEqual([0x88, 6, 0x03, 0xe8, ...Buffer.from('done')]);
  });
});
