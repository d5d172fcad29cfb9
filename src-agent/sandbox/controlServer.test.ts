import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { Refusal } from '../wire/refusal.ts';
import { startControlServer } from './controlServer.ts';
import type { ControlHandlers, ControlServer } from './controlServer.ts';

const TOKEN = 'a'.repeat(43);
const stopped: string[] = [];
const handlers: ControlHandlers = {
  nodes: () => ({ phase: 'running', nodes: [{ node: 'root-1', port: 4001, process: 'up' }] }),
  csrs: () => ({ csrs: {} }),
  enroll: () => ({ phase: 'starting', nodes: [] }),
  view: () => ({ ok: false, reason: 'no root of the sandbox is up' }),
  stop: ({ node }) => {
    if (node !== 'root-1') throw new Refusal('not_found', `${node} is not a node of this sandbox`);
    stopped.push(node);
    return { node, port: 4001, process: 'stopped' };
  },
  start: ({ node }) => ({ node, port: 4001, process: 'up' }),
  // An answer outside the table's schema: the server must not pass it on.
  down: () => ({ stopping: 'maybe' }) as never,
};

let server: ControlServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  stopped.length = 0;
});

async function ask(method: string, path: string, options: { token?: string; body?: string; type?: string } = {}) {
  server ??= await startControlServer(TOKEN, handlers, systemClock, () => undefined);
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    headers: { ...(options.token === '' ? {} : { authorization: `Bearer ${options.token ?? TOKEN}` }), ...(options.body ? { 'content-type': options.type ?? 'application/json' } : {}) },
    ...(options.body ? { body: options.body } : {}),
  });
  return { status: response.status, json: await response.json() };
}

describe('the control server', () => {
  it('answers a route of the table with its handler', async () => {
    expect(await ask('GET', '/v1/nodes')).toEqual({ status: 200, json: { phase: 'running', nodes: [{ node: 'root-1', port: 4001, process: 'up' }] } });
    expect(await ask('POST', '/v1/stop', { body: '{"node":"root-1"}' })).toEqual({ status: 200, json: { node: 'root-1', port: 4001, process: 'stopped' } });
    expect(stopped).toEqual(['root-1']);
  });

  it.each([
    ['no token', 'GET', '/v1/nodes', { token: '' }, 401, 'unauthenticated'],
    ['a wrong token', 'GET', '/v1/nodes', { token: 'b'.repeat(43) }, 401, 'unauthenticated'],
    ['an unknown route', 'GET', '/v1/nothing', {}, 404, 'not_found'],
    ['the wrong method', 'POST', '/v1/nodes', {}, 405, 'method_not_allowed'],
    ['a body of the wrong shape', 'POST', '/v1/stop', { body: '{"node":"router-1"}' }, 400, 'malformed'],
    ['a body that is not JSON', 'POST', '/v1/stop', { body: 'root-1', type: 'text/plain' }, 415, 'unsupported_media_type'],
    ["the handler's refusal", 'POST', '/v1/stop', { body: '{"node":"root-2"}' }, 404, 'not_found'],
    ['an answer outside the schema', 'POST', '/v1/down', {}, 500, 'internal'],
  ])('refuses %s with its code and reason', async (_, method, path, options, status, error) => {
    const answer = await ask(method, path, options);
    expect(answer).toMatchObject({ status, json: { error, reason: expect.any(String) } });
    expect(stopped).toEqual([]);
  });
});
