import { describe, expect, it } from 'vitest';
import { resultOf } from './agentAnswer.ts';
import type { Exchange } from './exchange.ts';

const answer = (status: number, contentType: string, body: string): Exchange => ({ answered: true, status, contentType, body: Buffer.from(body) });
const json = (status: number, value: unknown) => answer(status, 'application/json', JSON.stringify(value));
const progress = { loginId: 'L'.repeat(22), phase: 'active', acknowledged: 3, expected: 3, waitingFor: [] };

describe('resultOf', () => {
  it('gives a good JSON answer, checked against the route schema, with its status', () => {
    expect(resultOf('createEnrollmentToken', json(201, { id: '0123456789abcdef', usesLeft: 1, expiresAt: 2, createdAt: 1, revoked: false, token: 't' }))).toEqual({
      ok: true,
      status: 201,
      answer: { id: '0123456789abcdef', usesLeft: 1, expiresAt: 2, createdAt: 1, revoked: false, token: 't' },
    });
  });

  it.each([
    ['a refusal', 'login', json(409, { error: 'conflict', reason: 'logged in at root 1' }), { code: 'conflict', status: 409, reason: 'logged in at root 1' }],
    ['a refusal with a charset', 'status', answer(401, 'application/json; charset=utf-8', '{"error":"unauthenticated","reason":"log in again"}'), { code: 'unauthenticated', status: 401, reason: 'log in again' }],
    ['a proxy’s HTML 502', 'status', answer(502, 'text/html', '<html><body>Bad Gateway</body></html>'), { code: 'bad_answer', status: 502, reason: expect.stringMatching(/^HTTP 502 with text\/html, not an answer of the agent: found "<html><body>Bad Gateway/) }],
    ['a 200 that is not JSON', 'status', answer(200, 'text/plain', 'hello'), { code: 'bad_answer', status: 200, reason: 'HTTP 200 with text/plain, not an answer of the agent: found "hello"' }],
    ['no content type', 'status', answer(200, '', ''), { code: 'bad_answer', status: 200, reason: 'HTTP 200 with no content type, not an answer of the agent: found ""' }],
    ['JSON that does not parse', 'status', answer(200, 'application/json', '{"node":'), { code: 'bad_answer', status: 200, reason: expect.stringMatching(/^HTTP 200, declared JSON but is not: /) }],
    ['an answer against the schema', 'loginProgress', json(200, { ...progress, phase: 'dancing', colour: 1 }), { code: 'bad_answer', status: 200, reason: expect.stringMatching(/^the answer does not match the API: .*phase: .*found "dancing".*colour: unknown field/) }],
    ['an error that is no refusal code', 'status', json(500, { error: 'internal', reason: 'internal error' }), { code: 'bad_answer', status: 500, reason: 'HTTP 500 (internal): internal error' }],
    ['an error without a reason', 'status', json(500, [1, 2]), { code: 'bad_answer', status: 500, reason: 'HTTP 500 without a refusal: found an array of 2' }],
    ['the text of a route that has none', 'status', answer(200, 'application/x-openvpn-profile', 'client\n'), { code: 'bad_answer', status: 200, reason: expect.stringMatching(/^HTTP 200 with application\/x-openvpn-profile/) }],
  ] as const)('gives %s as a typed failure, never a throw', (_name, route, exchange, failure) => {
    expect(resultOf(route, exchange)).toEqual({ ok: false, ...failure });
  });

  it('gives the .ovpn profile of an enrollment as text', () => {
    expect(resultOf('enroll', answer(200, 'application/x-openvpn-profile', 'client\ndev tun\n'))).toEqual({ ok: true, status: 200, answer: 'client\ndev tun\n' });
  });

  it('passes a failure of the transport on as it is', () => {
    expect(resultOf('status', { answered: false, code: 'timeout', stage: 'exchange', reason: 'no answer within 5 ms' })).toEqual({ ok: false, code: 'timeout', reason: 'no answer within 5 ms' });
  });
});
