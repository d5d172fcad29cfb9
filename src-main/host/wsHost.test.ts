import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ClientOptions } from 'ws';
import type { Endpoint } from '../../src-shared/contract/transport.ts';
import type { WsHost } from './wsHost.ts';
import { MAX_MESSAGE_BYTES, startWsHost } from './wsHost.ts';

const endpoint: Endpoint = {
  dispatch: async (name, input) => ({ ok: true, value: { name, input } }),
  subscribe: () => () => undefined,
};

let dir: string;
let host: WsHost;
let port: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raincoat-host-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>r</title>');
  await writeFile(join(dir, 'app.js'), 'console.log(1)');
  host = await startWsHost({ endpoint, staticFolder: join(dir, '/'), token: 'secret-token' });
  port = Number(new URL(host.origin).port);
});
afterEach(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

/** What became of a socket opened to the host: refused with an HTTP status, or open. */
function openSocket(path: string, options: ClientOptions = {}): Promise<{ status: number } | { socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, options);
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.once('open', () => resolve({ socket }));
    socket.once('error', reject);
  });
}

async function connected(options: ClientOptions = {}): Promise<WebSocket> {
  const opened = await openSocket('/contract?token=secret-token', options);
  if (!('socket' in opened)) throw new Error(`refused with ${opened.status}`);
  return opened.socket;
}

const closeOf = (socket: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
const nextMessage = (socket: WebSocket) => new Promise<string>((resolve) => socket.once('message', (data) => resolve(data.toString())));

function get(path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { Host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startWsHost', () => {
  it('listens on 127.0.0.1 and puts the token in the fragment of the address to open', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=secret-token`);
    expect(host.socketUrl).toBe(`ws://127.0.0.1:${port}/contract?token=secret-token`);
  });

  it('makes a long random token when none is given', async () => {
    const [one, two] = await Promise.all([startWsHost({ endpoint, staticFolder: dir }), startWsHost({ endpoint, staticFolder: dir })]);
    await Promise.all([one.close(), two.close()]);
    expect(one.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(one.token).not.toBe(two.token);
  });

  it('serves the renderer with a strict CSP naming its own socket', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain(`connect-src ws://127.0.0.1:${port};`);
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/app.js')).body).toBe('console.log(1)');
  });

  it.each([
    { what: 'a path outside the folder', path: '/../package.json', status: 404 },
    { what: 'an encoded path outside the folder', path: '/%2e%2e/%2e%2e/etc/passwd', status: 404 },
    { what: 'a missing file', path: '/nope.js', status: 404 },
    { what: 'a file type it does not serve', path: '/index.ts', status: 404 },
    { what: 'a malformed escape', path: '/%E0%A4%A.js', status: 400 },
  ])('refuses $what', async ({ path, status }) => {
    expect((await get(path)).status).toBe(status);
  });

  it('refuses other methods and a foreign Host (DNS rebinding)', async () => {
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('says how to build when the renderer is missing', async () => {
    await rm(join(dir, 'index.html'));
    const page = await get('/');
    expect(page.status).toBe(503);
    expect(page.body).toContain('run node build.mjs');
  });

  it.each<{ what: string; path: string; options: ClientOptions; status: number }>([
    { what: 'no token', path: '/contract', options: {}, status: 401 },
    { what: 'a wrong token', path: '/contract?token=secret-tokeX', options: {}, status: 401 },
    { what: 'a token of another length', path: '/contract?token=s', options: {}, status: 401 },
    { what: 'another path', path: '/other?token=secret-token', options: {}, status: 404 },
    { what: 'a foreign Origin', path: '/contract?token=secret-token', options: { origin: 'http://evil.example' }, status: 403 },
    { what: 'a foreign Host', path: '/contract?token=secret-token', options: { headers: { Host: 'localhost:1' } }, status: 421 },
    { what: 'WebSocket version 8', path: '/contract?token=secret-token', options: { protocolVersion: 8 }, status: 400 },
  ])('refuses a socket with $what', async ({ path, options, status }) => {
    expect(await openSocket(path, options)).toEqual({ status });
  });

  it('accepts the token, routes calls to the endpoint and closes on a malformed message', async () => {
    const client = await connected({ origin: host.origin });
    const reply = nextMessage(client);
    client.send(JSON.stringify({ id: 7, name: 'topology.get' }));
    expect(await reply).toBe(JSON.stringify({ id: 7, reply: { ok: true, value: { name: 'topology.get' } } }));
    const closed = closeOf(client);
    client.send('{"name": "no id"}');
    expect(await closed).toEqual({ code: 1008, reason: 'expected {id, name, input}' });
  });

  it.each([
    { what: 'text that is not JSON', send: (c: WebSocket) => c.send('{"id": 1,'), code: 1007 },
    { what: 'a binary message', send: (c: WebSocket) => c.send(Buffer.from('{"id": 1, "name": "topology.get"}')), code: 1003 },
    { what: `a message over ${MAX_MESSAGE_BYTES} bytes`, send: (c: WebSocket) => c.send(`"${'x'.repeat(MAX_MESSAGE_BYTES - 1)}"`), code: 1009 },
  ])('closes the connection on $what', async ({ send, code }) => {
    const client = await connected();
    const closed = closeOf(client);
    send(client);
    expect((await closed).code).toBe(code);
  });

  it('takes a message of exactly the largest size', async () => {
    const client = await connected();
    const reply = nextMessage(client);
    const padding = ' '.repeat(MAX_MESSAGE_BYTES - JSON.stringify({ id: 1, name: 'topology.get' }).length);
    client.send(`${JSON.stringify({ id: 1, name: 'topology.get' })}${padding}`);
    expect(JSON.parse(await reply)).toMatchObject({ id: 1, reply: { ok: true } });
    client.close();
  });

  it('negotiates no compression, even when the client offers it', async () => {
    const client = await connected({ perMessageDeflate: true });
    expect(client.extensions).toBe('');
    client.close();
  });

  it('says goodbye (1001) to open connections when it closes', async () => {
    const client = await connected();
    const closed = closeOf(client);
    await host.close();
    expect(await closed).toEqual({ code: 1001, reason: 'host closing' });
    host = await startWsHost({ endpoint, staticFolder: dir, token: 'secret-token' });
  });
});
