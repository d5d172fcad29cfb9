import { describe, expect, it } from 'vitest';
import { agentApi } from '../../src-shared/protocol/agentApi.ts';
import type { RouteName } from '../../src-shared/protocol/agentApi.ts';
import { bindHandlers } from './agentServer.ts';
import type { Handlers } from './route.ts';

const answer = { handle: () => ({ json: {} as never }) };
/** A handler for every route of the table, testing ones included when asked. */
const every = (testing: boolean): Handlers =>
  Object.fromEntries((Object.keys(agentApi) as RouteName[]).filter((name) => testing || !('testing' in agentApi[name])).map((name) => [name, answer]));

describe('bindHandlers', () => {
  it('serves every route of the table by its path and method', () => {
    const table = bindHandlers(every(false), false);
    expect(table.get('/v1/login')?.get('POST')?.spec).toBe(agentApi.login);
    expect(table.get('/v1/enroll-tokens')?.get('GET')?.spec).toBe(agentApi.listEnrollmentTokens);
    expect(table.get('/v1/enroll-tokens')?.get('POST')?.spec).toBe(agentApi.createEnrollmentToken);
  });

  it('fails when a route of the table has no handler, naming it', () => {
    const { logout: _logout, ...rest } = every(false);
    expect(() => bindHandlers(rest, false)).toThrow('no handler for logout (POST /v1/logout)');
  });

  it('refuses a handler for a route the table does not declare', () => {
    expect(() => bindHandlers({ ...every(false), backdoor: answer } as Handlers, false)).toThrow('handlers for routes not in the API table: backdoor');
  });

  it('serves the testing routes only to a testing agent, and then requires them', () => {
    expect(bindHandlers(every(false), false).has('/v1/test/metrics')).toBe(false);
    expect(bindHandlers(every(true), true).has('/v1/test/metrics')).toBe(true);
    expect(() => bindHandlers(every(false), true)).toThrow(/no handler for testOriginate/);
  });
});
