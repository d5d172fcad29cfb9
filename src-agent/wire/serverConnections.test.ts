import { generateKeyPairSync } from 'node:crypto';
import { createServer, request as httpsRequest } from 'node:https';
import type { Server } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createCsr } from '../../src-node/x509/certificationRequest.ts';
import { testCa } from '../../src-node/x509/pki.testkit.ts';
import { signCsr } from '../../src-node/x509/signCsr.ts';
import { systemClock } from '../clock.ts';
import type { ConnectionLimits } from './connectionGuard.ts';
import { SWEEP_MS, serverConnections } from './serverConnections.ts';

const ca = testCa('control CA (test)');
const certify = (node: string) => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return { cert: signCsr(ca, createCsr(node, key), 'peer').certPem, key: key.export({ format: 'pem', type: 'pkcs8' }) as string };
};
const self = certify('root-1');
const timeouts = { handshakeMs: 300, idleMs: 300 };

let server: Server | undefined;
let stop = () => {};
let turnedAway = 0;
const sockets: Socket[] = [];

afterEach(async () => {
  stop();
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => {
    server?.closeAllConnections();
    server?.close(() => resolve());
  });
  server = undefined;
});

/** An HTTPS server answering `ok`, guarded with these limits; resolves with its port. */
async function start(limits: Partial<ConnectionLimits> = {}): Promise<number> {
  turnedAway = 0;
  const connections = serverConnections({
    limits: { total: 100, uncertified: 100, uncertifiedPerAddress: 100, perNode: 100, ...limits },
    timeouts,
    clock: systemClock,
    nodeOf: (socket: TLSSocket) => socket.getPeerCertificate().subject?.CN as string | undefined,
    onTurnedAway: () => turnedAway++,
  });
  const options = { key: self.key, cert: self.cert, ca: ca.certPem, requestCert: true, rejectUnauthorized: false, blockList: connections.blockList };
  server = createServer(options, (_request, response) => response.end('ok'));
  connections.attach(server);
  ({ stop } = connections);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A TCP connection from `source` that sends nothing, or `trickle`'s bytes one every 100 ms. */
function bare(port: number, source: string, trickle?: Buffer): Promise<Socket> {
  const socket = tcpConnect({ host: '127.0.0.1', port, localAddress: source });
  sockets.push(socket);
  socket.on('error', () => undefined);
  if (trickle) {
    let at = 0;
    const timer = setInterval(() => (at < trickle.length ? socket.write(trickle.subarray(at, ++at)) : clearInterval(timer)), 100);
    socket.once('close', () => clearInterval(timer));
  }
  return new Promise((resolve) => socket.once('connect', () => resolve(socket)));
}

/** A finished TLS handshake, with a certificate for `node` or none, and no request. */
function handshaken(port: number, source: string, node?: string): Promise<TLSSocket> {
  const tcp = tcpConnect({ host: '127.0.0.1', port, localAddress: source });
  const socket = tlsConnect({ socket: tcp, rejectUnauthorized: false, ...(node ? certify(node) : {}) });
  sockets.push(socket);
  socket.on('error', () => undefined);
  return new Promise((resolve) => {
    socket.once('secureConnect', () => resolve(socket));
    socket.once('close', () => resolve(socket));
  });
}

const closed = (socket: Socket) => new Promise<number>((resolve) => {
  const started = performance.now();
  if (socket.destroyed) resolve(0);
  socket.once('close', () => resolve(performance.now() - started));
});

const get = (port: number) =>
  new Promise<string>((resolve, reject) => {
    const request = httpsRequest({ host: '127.0.0.1', port, path: '/', agent: false, rejectUnauthorized: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.end();
  });

// The first bytes of a TLS ClientHello record, which promise more than ever comes.
const CLIENT_HELLO_START = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);

describe('serverConnections', () => {
  it.each([
    ['sends nothing', undefined],
    ['trickles its handshake a byte at a time', CLIENT_HELLO_START],
  ])('closes a connection that %s once its handshake deadline has passed', async (_case, trickle) => {
    const port = await start();
    const socket = await bare(port, '127.0.0.2', trickle);
    expect(await closed(socket)).toBeLessThan(timeouts.handshakeMs + SWEEP_MS + 500);
  });

  it('closes a finished handshake without a certificate that sends no request, but not a certified one', async () => {
    const port = await start();
    const [anonymous, neighbour] = await Promise.all([handshaken(port, '127.0.0.2'), handshaken(port, '127.0.0.3', 'root-2')]);
    expect(await closed(anonymous)).toBeLessThan(timeouts.idleMs + SWEEP_MS + 500);
    expect(neighbour.destroyed).toBe(false);
  });

  it("turns an address's connections past its share away at accept, and lets another address's request through", async () => {
    const port = await start({ uncertified: 4, uncertifiedPerAddress: 2 });
    const [first, second] = [await bare(port, '127.0.0.2'), await bare(port, '127.0.0.2')];
    const third = await bare(port, '127.0.0.2');
    expect(await closed(third)).toBeLessThan(200);
    expect([first.destroyed, second.destroyed, turnedAway]).toEqual([false, false, 1]);
    expect(await get(port)).toBe('ok');
  });

  it('takes a late connection while full of idle ones from many addresses, closing the oldest', async () => {
    const port = await start({ uncertified: 4, uncertifiedPerAddress: 1 });
    const attack: Socket[] = [];
    for (let i = 2; i < 6; i++) attack.push(await bare(port, `127.0.0.${i}`));
    expect(await get(port)).toBe('ok');
    expect(await closed(attack[0]!)).toBeLessThan(200);
  });

  it("refuses a node's connection past its cap", async () => {
    const port = await start({ perNode: 1 });
    const kept = await handshaken(port, '127.0.0.2', 'root-2');
    const refused = await handshaken(port, '127.0.0.2', 'root-2');
    expect(await closed(refused)).toBeLessThan(200);
    expect(kept.destroyed).toBe(false);
  });
});
