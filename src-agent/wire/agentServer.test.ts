import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import { bindHandlers } from './agentServer.ts';
import { everyRoute, rawRequest, startTestServer } from './agentServer.testkit.ts';
import type { TestServer } from './agentServer.testkit.ts';
import type { Handlers } from './route.ts';

const answer = { handle: () => ({ json: {} as never }) };

describe('bindHandlers', () => {
  it('serves every route of the table by its path and method', () => {
    const table = bindHandlers(everyRoute(false), false);
    expect(table.get('/v1/login')?.get('POST')?.spec).toBe(agentApi.login);
    expect(table.get('/v1/enroll-tokens')?.get('GET')?.spec).toBe(agentApi.listEnrollmentTokens);
    expect(table.get('/v1/enroll-tokens')?.get('POST')?.spec).toBe(agentApi.createEnrollmentToken);
  });

  it('fails when a route of the table has no handler, naming it', () => {
    const { logout: _logout, ...rest } = everyRoute(false);
    expect(() => bindHandlers(rest, false)).toThrow('no handler for logout (POST /v1/logout)');
  });

  it('refuses a handler for a route the table does not declare', () => {
    expect(() => bindHandlers({ ...everyRoute(false), backdoor: answer } as Handlers, false)).toThrow('handlers for routes not in the API table: backdoor');
  });

  it('serves the testing routes only to a testing agent, and then requires them', () => {
    expect(bindHandlers(everyRoute(false), false).has('/v1/test/metrics')).toBe(false);
    expect(bindHandlers(everyRoute(true), true).has('/v1/test/metrics')).toBe(true);
    expect(() => bindHandlers(everyRoute(false), true)).toThrow(/no handler for testOriginate/);
  });
});

describe('the agent server', () => {
  let agent: TestServer;
  beforeAll(async () => {
    agent = await startTestServer({ isSession: () => true });
  });
  afterAll(async () => {
    await agent?.close();
  });
  const post = (path: string, body: string | Buffer) =>
    rawRequest(agent.port, { method: 'POST', path, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(32)}` } });

  it('refuses a deeply nested package before parsing it (which took 5.6 s here, and the schema then refused the array)', async () => {
    const half = 15 * 1024 * 1024;
    const answer = await post(agentApi.deploy.path, Buffer.from('['.repeat(half) + ']'.repeat(half)));
    expect([answer.status, JSON.parse(answer.text)]).toEqual([413, { error: 'too_large', reason: 'the body nests deeper than 32 levels' }]);
  });

  it('bounds how much of a body a refusal repeats: a few problems, and how many more there were', async () => {
    const fields = Object.fromEntries(Array.from({ length: 1_800 }, (_, i) => [`field-${i}-${'x'.repeat(120)}`, 1]));
    const body = JSON.stringify({ user: 'a', password: 'b', ...fields });
    expect(body.length).toBeGreaterThan(240_000);
    const answer = await post(agentApi.login.path, body);
    const { error, reason } = JSON.parse(answer.text) as { error: string; reason: string };
    expect([answer.status, error]).toEqual([400, 'malformed']);
    expect(reason.length).toBeLessThanOrEqual(500);
    expect(reason).toMatch(/^field-0-x{120}: unknown field; field-1-x{120}: unknown field; .*; and 179\d more problems$/);
    expect(answer.text.length).toBeLessThan(1_024);
  });

  it('cuts any other reason that repeats what was sent, such as a long path', async () => {
    const answer = await rawRequest(agent.port, { path: `/v1/${'x'.repeat(8_000)}` });
    const { error, reason } = JSON.parse(answer.text) as { error: string; reason: string };
    expect([answer.status, error]).toEqual([404, 'not_found']);
    expect(reason).toMatch(/^no endpoint \/v1\/x+… \(7\d{3} more characters\)$/);
  });

  it.each([
    ['TLS 1.3', undefined, undefined],
    ['TLS 1.2 with AES-GCM', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLSv1.2'],
    ['TLS 1.2 with ChaCha20-Poly1305', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'TLSv1.2'],
  ] as const)('takes a client of %s', async (_case, ciphers, maxVersion) => {
    expect((await rawRequest(agent.port, { path: agentApi.status.path, ciphers, maxVersion })).status).toBe(401);
  });

  it.each([
    ['CBC with SHA-1', 'ECDHE-ECDSA-AES128-SHA'],
    ['CBC with SHA-256', 'ECDHE-ECDSA-AES128-SHA256'],
    ['CBC with SHA-384', 'ECDHE-ECDSA-AES256-SHA384'],
  ])('refuses a TLS 1.2 client that offers only %s', async (_case, ciphers) => {
    await expect(rawRequest(agent.port, { path: agentApi.status.path, ciphers, maxVersion: 'TLSv1.2' })).rejects.toThrow(/handshake failure|no shared cipher/);
  });
});
