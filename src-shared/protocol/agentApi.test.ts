import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DeployPackage } from './deployPackage.ts';
import type { StatusSnapshot } from './messages.ts';
import { APPLICATION_ROUTES, agentApi, COMMON_REFUSALS, refusalsOf } from './agentApi.ts';
import type { AnswerOf, BodyIn, BodyOf, LoginProgress, RouteName, RouteSpec } from './agentApi.ts';
import { REFUSAL_CODES, isRefusalCode, refusalStatus } from './refusals.ts';

const entries = Object.entries(agentApi) as [RouteName, RouteSpec][];

describe('the agent API table', () => {
  it('declares each method and path once', () => {
    const keys = entries.map(([, spec]) => `${spec.method} ${spec.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(entries)('%s is a versioned path with callers, and a body only on POST', (_name, spec) => {
    expect(spec.path).toMatch(/^\/v1\/[a-z0-9/-]+$/);
    expect(spec.access.length).toBeGreaterThan(0);
    if (spec.method === 'GET') expect(spec.body).toBeUndefined();
    // A route declares either its answer or, as a stream, its lines.
    expect(Boolean(spec.answer) !== Boolean(spec.lines)).toBe(true);
    for (const code of spec.refusals) expect(REFUSAL_CODES).toContain(code);
  });

  it('offers the application every route it calls, and none of the neighbours’ or the tests’', () => {
    expect(APPLICATION_ROUTES).toEqual(['status', 'login', 'loginProgress', 'logout', 'deploy', 'confirmDeploy', 'enroll', 'createEnrollmentToken', 'listEnrollmentTokens', 'revokeEnrollmentToken', 'recordAudit', 'readAudit', 'putAdminState', 'readAdminState']);
  });

  it.each([
    ['login', ['rate_limited', 'conflict', 'unavailable', 'unauthenticated', 'forbidden']],
    ['flood', ['unauthenticated', 'unknown_peer', 'bad_signature', 'duplicate']],
    ['status', ['unauthenticated', 'unknown_peer']],
    ['enroll', ['rate_limited', 'forbidden']],
  ] as const)('%s can refuse with %j, and whatever the server refuses before any handler', (name, codes) => {
    const refusals = refusalsOf(name);
    for (const code of [...codes, ...COMMON_REFUSALS]) expect(refusals).toContain(code);
    expect(new Set(refusals).size).toBe(refusals.length);
  });

  it('does not count unauthenticated among the refusals of routes anyone may call', () => {
    expect(refusalsOf('enroll')).not.toContain('unauthenticated');
    expect(refusalsOf('deploy')).toContain('unauthenticated');
  });

  it('gives each route the body and answer types of its schemas', () => {
    expectTypeOf<BodyOf<'deploy'>>().toEqualTypeOf<DeployPackage>();
    expectTypeOf<BodyOf<'status'>>().toEqualTypeOf<undefined>();
    expectTypeOf<BodyOf<'enroll'>>().toEqualTypeOf<{ token: string; csr: string; format: 'json' | 'ovpn' }>();
    expectTypeOf<BodyIn<'enroll'>>().toEqualTypeOf<{ token: string; csr: string; format?: 'json' | 'ovpn' | undefined }>();
    expectTypeOf<AnswerOf<'status'>>().toEqualTypeOf<StatusSnapshot>();
    expectTypeOf<AnswerOf<'loginProgress'>>().toEqualTypeOf<LoginProgress>();
  });
});

describe('refusals', () => {
  it.each([
    ['malformed', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['duplicate', 409],
    ['too_large', 413],
    ['rate_limited', 429],
    ['unavailable', 503],
  ] as const)('%s is answered with %i', (code, status) => {
    expect(refusalStatus(code)).toBe(status);
  });

  it.each([
    ['conflict', true],
    ['internal', false],
    [409, false],
    [undefined, false],
  ])('isRefusalCode(%j) is %s', (value, expected) => {
    expect(isRefusalCode(value)).toBe(expected);
  });
});
