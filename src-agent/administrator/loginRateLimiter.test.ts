import { describe, expect, it } from 'vitest';
import { createLoginRateLimiter } from './loginRateLimiter.ts';

function setup(options = {}) {
  let t = 0;
  const limiter = createLoginRateLimiter({ now: () => t, maxFailures: 3, ...options });
  return { limiter, advance: (ms: number) => (t += ms) };
}

describe('createLoginRateLimiter', () => {
  it('lets the first failures pass, then locks the source for 1 s, 2 s, 4 s … after each further one, up to the cap', () => {
    const { limiter, advance } = setup({ maxLockoutMs: 8_000 });
    const lockouts: number[] = [];
    for (let i = 0; i < 8; i++) {
      const verdict = limiter.check('10.0.0.1');
      lockouts.push(verdict.allowed ? 0 : verdict.retryAfterMs);
      if (!verdict.allowed) advance(verdict.retryAfterMs);
      expect(limiter.check('10.0.0.1')).toEqual({ allowed: true });
      limiter.failed('10.0.0.1');
    }
    expect(lockouts).toEqual([0, 0, 0, 1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(limiter.check('10.0.0.2')).toEqual({ allowed: true });
  });

  it('caps the lockout of a source that logged in before lower, for the administrator behind a shared address', () => {
    const { limiter } = setup({ maxLockoutMs: 15 * 60_000, knownMaxLockoutMs: 60_000 });
    for (let i = 0; i < 20; i++) limiter.failed('10.0.0.1');
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 15 * 60_000 });
    expect(limiter.check('10.0.0.1', true)).toEqual({ allowed: false, retryAfterMs: 60_000 });
  });

  it('keeps blocking a source that keeps failing, each lockout counted from its last failure', () => {
    const { limiter, advance } = setup({ firstLockoutMs: 10_000 });
    for (let i = 0; i < 4; i++) {
      limiter.failed('10.0.0.1');
      advance(1_000);
    }
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 19_000 });
  });

  it('forgets the failures only after long enough without one, not when a lockout ends', () => {
    const { limiter, advance } = setup({ maxLockoutMs: 60_000, forgetAfterMs: 3_600_000 });
    for (let i = 0; i < 10; i++) limiter.failed('10.0.0.1');
    advance(60_000);
    limiter.failed('10.0.0.1');
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 60_000 });
    advance(3_600_000);
    limiter.failed('10.0.0.1');
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: true });
  });

  it('a success clears the failures', () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) limiter.failed('10.0.0.1');
    limiter.succeeded('10.0.0.1');
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: true });
  });

  it('remembers a bounded number of sources, forgetting the least recently failing', () => {
    const { limiter } = setup({ maxSources: 100 });
    for (let i = 0; i < 1000; i++) limiter.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.sources).toBe(100);
  });

  it('forgets a source whose failures have all aged out', () => {
    const { limiter, advance } = setup({ forgetAfterMs: 60_000 });
    limiter.failed('10.0.0.1');
    advance(60_000);
    limiter.check('10.0.0.1');
    expect(limiter.sources).toBe(0);
  });

  describe('attempt', () => {
    it('counts attempts in flight together, so no more than the limit are let through before any settles', () => {
      const { limiter } = setup();
      const verdicts = Array.from({ length: 10 }, () => limiter.attempt('10.0.0.1'));
      expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false, false, false, false, false, false, false]);
      expect(limiter.attempt('10.0.0.2').allowed).toBe(true);
    });

    it.each([
      { outcome: 'failed' as const, allowedAfter: false },
      { outcome: 'excused' as const, allowedAfter: true },
      { outcome: 'succeeded' as const, allowedAfter: true },
    ])('settled $outcome, the last of the allowed attempts leaves the source allowed: $allowedAfter', ({ outcome, allowedAfter }) => {
      const { limiter, advance } = setup();
      limiter.failed('10.0.0.1');
      advance(1_000);
      limiter.failed('10.0.0.1');
      advance(1_000);
      const verdict = limiter.attempt('10.0.0.1');
      if (!verdict.allowed) throw new Error('expected the attempt to be allowed');
      verdict.settle(outcome);
      verdict.settle(outcome);
      expect(limiter.check('10.0.0.1').allowed).toBe(allowedAfter);
    });

    it('an excused attempt takes back only itself', () => {
      const { limiter } = setup();
      const first = limiter.attempt('10.0.0.1');
      const second = limiter.attempt('10.0.0.1');
      const third = limiter.attempt('10.0.0.1');
      if (!first.allowed || !second.allowed || !third.allowed) throw new Error('expected three attempts allowed');
      second.settle('excused');
      expect(limiter.check('10.0.0.1').allowed).toBe(true);
      expect(limiter.attempt('10.0.0.1').allowed).toBe(true);
      expect(limiter.check('10.0.0.1').allowed).toBe(false);
    });
  });
});
