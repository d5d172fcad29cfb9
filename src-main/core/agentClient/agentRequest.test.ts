import { describe, expect, it } from 'vitest';
import { agentApi, APPLICATION_ROUTES } from '../../../src-shared/protocol/agentApi.ts';
import type { ApplicationRoute } from '../../../src-shared/protocol/agentApi.ts';
import { requestFor, sendsSession } from './agentRequest.ts';

const SESSION = 'session-token-0123456789';

describe('requestFor', () => {
  it.each([
    ['status', true],
    ['login', false],
    ['loginProgress', true],
    ['logout', true],
    ['deploy', true],
    ['confirmDeploy', true],
    ['enroll', false],
    ['createEnrollmentToken', true],
    ['listEnrollmentTokens', true],
    ['revokeEnrollmentToken', true],
    ['recordAudit', true],
    ['readAudit', true],
    ['putAdminState', true],
    ['readAdminState', true],
  ] as [ApplicationRoute, boolean][])('%s is sent the session token: %s', (name, sent) => {
    expect(sendsSession(name)).toBe(sent);
    const request = requestFor(name, {} as never, SESSION);
    expect(request.headers.authorization).toBe(sent ? `Bearer ${SESSION}` : undefined);
  });

  it('covers every application route in the table above', () => {
    expect(APPLICATION_ROUTES).toHaveLength(14);
  });

  it.each(APPLICATION_ROUTES)('%s goes to its method and path, without a token when there is no session', (name) => {
    const request = requestFor(name, { id: '0123456789abcdef' } as never, undefined);
    expect(request).toMatchObject({ method: agentApi[name].method, path: agentApi[name].path });
    expect(request.headers.authorization).toBeUndefined();
  });

  it('sends a body as JSON, only on routes that take one', () => {
    const login = requestFor('login', { user: 'administrator', password: 'secret' }, undefined);
    expect(login.headers['content-type']).toBe('application/json');
    expect(JSON.parse(login.payload!.toString('utf8'))).toEqual({ user: 'administrator', password: 'secret' });
    const logout = requestFor('logout', undefined, SESSION);
    expect(logout).toEqual({ method: 'POST', path: '/v1/logout', headers: { authorization: `Bearer ${SESSION}` } });
    expect(requestFor('status', undefined, SESSION).payload).toBeUndefined();
  });
});
