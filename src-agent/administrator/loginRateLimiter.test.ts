import { describe, expect, it } from 'vitest';
import { createLoginRateLimiter } from './loginRateLimiter.ts';

function setup(options = {}) {
  let t = 0;
  const limiter = createLoginRateLimiter({ now: () => t, maxFailures: 3, windowMs: 60_000, ...options });
  return { limiter, advance: (ms: number) => (t += ms) };
}

describe('createLoginRateLimiter', () => {
  it('blocks a source after too many failures within the window, until the oldest ages out', () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('10.0.0.1')).toEqual({ allowed: true });
      limiter.failed('10.0.0.1');
      advance(10_000);
    }
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(limiter.check('10.0.0.2')).toEqual({ allowed: true });
    advance(30_000);
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: true });
  });

  it('keeps blocking a source that keeps failing', () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 10; i++) {
      limiter.failed('10.0.0.1');
      advance(1_000);
    }
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 57_000 });
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
    const { limiter, advance } = setup();
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
