import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src-shared/contract/transport.ts';
import { OPCODE } from './webSocket/frameReader.ts';
import { clientFrame, rawUpgrade, upgradeHeaders } from './webSocket/webSocket.testkit.ts';
import type { WsHost } from './wsHost.ts';
import { startWsHost } from './wsHost.ts';

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

  it.each<{ what: string; path: string; headers: Record<string, string>; status: number }>([
    { what: 'no token', path: '/contract', headers: {}, status: 401 },
    { what: 'a wrong token', path: '/contract?token=secret-tokeX', headers: {}, status: 401 },
    { what: 'a token of another length', path: '/contract?token=s', headers: {}, status: 401 },
    { what: 'another path', path: '/other?token=secret-token', headers: {}, status: 404 },
    { what: 'a foreign Origin', path: '/contract?token=secret-token', headers: { Origin: 'http://evil.example' }, status: 403 },
    { what: 'a foreign Host', path: '/contract?token=secret-token', headers: { Host: 'localhost:1' }, status: 421 },
  ])('refuses a socket with $what', async ({ path, headers, status }) => {
    const client = await rawUpgrade(port, path, upgradeHeaders(port, headers));
    expect(client.head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    await client.ended;
  });

  it('accepts the token, routes calls to the endpoint and closes on a malformed message', async () => {
    const client = await rawUpgrade(port, '/contract?token=secret-token', upgradeHeaders(port, { Origin: host.origin }));
    expect(client.head).toMatch(/^HTTP\/1.1 101 /);
    client.socket.write(clientFrame(OPCODE.text, JSON.stringify({ id: 7, name: 'topology.get' })));
    const reply = JSON.stringify({ id: 7, reply: { ok: true, value: { name: 'topology.get' } } });
    await expect.poll(() => client.received().subarray(2).toString()).toBe(reply);
    client.socket.write(clientFrame(OPCODE.text, '{"name": "no id"}'));
    const closeCode = () => client.received().subarray(2 + reply.length + 2, 2 + reply.length + 4);
    await expect.poll(() => closeCode().length === 2 && closeCode().readUInt16BE(0)).toBe(1008);
    client.socket.destroy();
  });
});
