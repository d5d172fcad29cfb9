import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { controlClient } from './controlClient.ts';

const TOKEN = 't'.repeat(43);
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A host that answers every request with `status` and `body`, noting what it was asked. */
async function fakeHost(status: number, body: string) {
  const asked: { method?: string; url?: string; authorization?: string; body: string }[] = [];
  server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      asked.push({ method: request.method, url: request.url, authorization: request.headers.authorization, body: text });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, asked };
}

describe('controlClient', () => {
  it("calls the table's route with the token and body, and gives the answer its schema reads", async () => {
    const host = await fakeHost(200, JSON.stringify({ node: 'root-2', port: 4002, process: 'stopped' }));
    const answer = await controlClient({ port: host.port, token: TOKEN })('stop', { node: 'root-2' });
    expect(answer).toEqual({ node: 'root-2', port: 4002, process: 'stopped' });
    expect(host.asked).toEqual([{ method: 'POST', url: '/v1/stop', authorization: `Bearer ${TOKEN}`, body: '{"node":"root-2"}' }]);
  });

  it.each([
    ['a refusal, with its reason', 409, JSON.stringify({ error: 'conflict', reason: 'root-2 is stopped, not up' }), 'root-2 is stopped, not up'],
    ['an answer the schema refuses', 200, JSON.stringify({ node: 'root-2', port: 4002, process: 'asleep' }), /did not answer stop: process: Invalid option/],
    ['an answer that is not JSON', 502, '<html>', 'the sandbox host did not answer stop: HTTP 502 that is not JSON'],
  ])('throws a SandboxError for %s', async (_, status, body, message) => {
    const host = await fakeHost(status, body);
    await expect(controlClient({ port: host.port, token: TOKEN })('stop', { node: 'root-2' })).rejects.toMatchObject({ name: 'SandboxError', message: expect.stringMatching(message) });
  });

  it('throws a SandboxError when nothing listens', async () => {
    const host = await fakeHost(200, '{}');
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await expect(controlClient({ port: host.port, token: TOKEN })('nodes')).rejects.toMatchObject({ name: 'SandboxError', message: expect.stringMatching(/did not answer nodes: connect ECONNREFUSED/) });
  });
});
