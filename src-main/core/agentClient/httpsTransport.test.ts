import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { Server as TcpServer, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCsr } from '../../../src-node/x509/certificationRequest.ts';
import { signCsr } from '../../../src-node/x509/signCsr.ts';
import { createCa } from '../pki/issueCertificate.ts';
import type { CaMaterial } from '../pki/keyTypes.ts';
import { createHttpsTransport } from './httpsTransport.ts';
import type { HttpsTransportOptions } from './httpsTransport.ts';
import type { AgentTransport } from './exchange.ts';
import type { Timers } from './timers.ts';

const CONNECT_MS = 1_000;
const REQUEST_MS = 2_000;
const controlCa = createCa('agent client test CA');

function identity(ca: CaMaterial, node: string): { cert: string; key: string } {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return { cert: signCsr(ca, createCsr(node, key), 'peer').certPem, key: key.export({ format: 'pem', type: 'pkcs8' }) as string };
}

/** Timers that fire only when told: a deadline is reached without waiting for it. */
function handTimers(): Timers & { fire(ms: number): void; live(): number[] } {
  const timers: { ms: number; fn: () => void; live: boolean }[] = [];
  return {
    after(ms, fn) {
      const timer = { ms, fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
    fire(ms) {
      for (const timer of timers.filter((t) => t.live && t.ms === ms)) {
        timer.live = false;
        timer.fn();
      }
    },
    live: () => timers.filter((t) => t.live).map((t) => t.ms),
  };
}

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const thing of opened.splice(0)) thing.close();
});

/** An HTTPS server on loopback with the given identity, asking for (not requiring) a client certificate as the agent does. */
async function serve(id: { cert: string; key: string }, handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server: Server = createHttpsServer({ ...id, ca: controlCa.certPem, requestCert: true, rejectUnauthorized: false }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function transportTo(url: string, options: Partial<HttpsTransportOptions> = {}): AgentTransport {
  const transport = createHttpsTransport({ node: 'root-1', url, caPem: controlCa.certPem, connectTimeoutMs: CONNECT_MS, requestTimeoutMs: REQUEST_MS, ...options });
  opened.push(transport);
  return transport;
}

const statusRequest = { method: 'GET' as const, path: '/v1/status', headers: {} };

describe('the HTTPS transport', () => {
  it('sends the request without a client certificate and reads the answer, over one kept-alive connection', async () => {
    const seen: { peer: boolean; authorization?: string; length?: string; body: string }[] = [];
    const connections = new Set<unknown>();
    const url = await serve(identity(controlCa, 'root-1'), (request, response) => {
      connections.add(request.socket);
      let body = '';
      request.on('data', (d: Buffer) => (body += d.toString()));
      request.on('end', () => {
        seen.push({ peer: Object.keys((request.socket as TLSSocket).getPeerCertificate()).length > 0, authorization: request.headers.authorization, length: request.headers['content-length'], body });
        response.writeHead(201, { 'content-type': 'application/json' }).end('{"revoked":"0123456789abcdef"}');
      });
    });
    const timers = handTimers();
    const transport = transportTo(url, { timers });
    const payload = Buffer.from('{"id":"0123456789abcdef"}');
    const exchange = await transport.send({ method: 'POST', path: '/v1/enroll-tokens/revoke', headers: { authorization: 'Bearer abc', 'content-type': 'application/json' }, payload });
    expect(exchange).toEqual({ answered: true, status: 201, contentType: 'application/json', body: Buffer.from('{"revoked":"0123456789abcdef"}') });
    await transport.send(statusRequest);
    expect(seen).toEqual([
      { peer: false, authorization: 'Bearer abc', length: String(payload.length), body: payload.toString() },
      { peer: false, body: '' },
    ]);
    expect(connections.size).toBe(1);
    expect(timers.live()).toEqual([]);
  });

  it.each([
    ['another node’s certificate', () => identity(controlCa, 'root-2'), /^root-1 at https:\/\/127\.0\.0\.1:\d+ is not the node we meant: its certificate names root-2$/],
    ['a certificate of another CA', () => identity(createCa('not the control CA'), 'root-1'), /^root-1 at https:\/\/127\.0\.0\.1:\d+: its certificate is not the control CA's \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/],
  ])('refuses %s before sending anything', async (_name, id, reason) => {
    let requests = 0;
    const url = await serve(id(), (_request, response) => {
      requests++;
      response.end();
    });
    expect(await transportTo(url).send(statusRequest)).toEqual({ answered: false, code: 'unreachable', stage: 'identity', reason: expect.stringMatching(reason) });
    expect(requests).toBe(0);
  });

  it('says a node where nothing listens is unreachable, before anything was sent', async () => {
    const url = await serve(identity(controlCa, 'root-1'), () => undefined);
    opened.splice(0).forEach((s) => s.close());
    expect(await transportTo(url).send(statusRequest)).toEqual({ answered: false, code: 'unreachable', stage: 'connect', reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('gives up on an answer larger than the cap', async () => {
    const url = await serve(identity(controlCa, 'root-1'), (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(`"${'x'.repeat(5_000)}"`));
    expect(await transportTo(url, { maxAnswerBytes: 1_000 }).send(statusRequest)).toEqual({ answered: false, code: 'bad_answer', stage: 'exchange', reason: 'root-1 answered more than 1000 bytes' });
  });

  it('times out a connection whose handshake does not come', async () => {
    const silent: TcpServer = createTcpServer();
    const accepted = new Promise<Socket>((resolve) => silent.once('connection', resolve));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => silent.close() });
    const timers = handTimers();
    const exchange = transportTo(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`, { timers }).send(statusRequest);
    const socket = await accepted;
    opened.push({ close: () => socket.destroy() });
    timers.fire(CONNECT_MS);
    expect(await exchange).toEqual({ answered: false, code: 'timeout', stage: 'connect', reason: expect.stringMatching(/no connection within 1000 ms$/) });
    expect(timers.live()).toEqual([]);
  });

  it('times out a request the agent took and does not answer', async () => {
    let took!: () => void;
    const taken = new Promise<void>((resolve) => (took = resolve));
    const url = await serve(identity(controlCa, 'root-1'), () => took());
    const timers = handTimers();
    const exchange = transportTo(url, { timers }).send(statusRequest);
    await taken;
    timers.fire(REQUEST_MS);
    expect(await exchange).toEqual({ answered: false, code: 'timeout', stage: 'exchange', reason: expect.stringMatching(/no answer within 2000 ms$/) });
  });
});
