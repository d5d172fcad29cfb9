import { describe, expect, it } from 'vitest';
import { agentApi } from '../../../src-shared/protocol/agentApi.ts';
import type { Exchange } from './exchange.ts';
import { backoffMs, DEFAULT_RETRY, mayRetry } from './retryPolicy.ts';

const failed = (code: 'unreachable' | 'timeout' | 'bad_answer', stage: 'connect' | 'identity' | 'exchange'): Exchange => ({ answered: false, code, stage, reason: 'r' });
const answered = (status: number): Exchange => ({ answered: true, status, contentType: 'application/json', body: Buffer.from('{}') });

describe('mayRetry', () => {
  it.each([
    ['unreachable before sending', failed('unreachable', 'connect'), true, true],
    ['a connect timeout', failed('timeout', 'connect'), true, true],
    ['unreachable once sent', failed('unreachable', 'exchange'), true, false],
    ['a timeout once sent', failed('timeout', 'exchange'), true, false],
    ['another node’s certificate', failed('unreachable', 'identity'), false, false],
    ['an answer too large', failed('bad_answer', 'exchange'), false, false],
    ['a 503', answered(503), true, false],
    ['a 502', answered(502), true, false],
    ['a 504', answered(504), true, false],
    ['a 200', answered(200), false, false],
    ['a 429', answered(429), false, false],
    ['a 500', answered(500), false, false],
  ])('%s: idempotent %s, not idempotent %s', (_name, exchange, idempotent, other) => {
    expect(mayRetry(agentApi.status, exchange)).toBe(idempotent);
    expect(mayRetry(agentApi.deploy, exchange)).toBe(other);
  });
});

describe('backoffMs', () => {
  it('doubles from the first delay up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(DEFAULT_RETRY, n))).toEqual([250, 500, 1_000, 2_000, 2_000]);
  });
});
