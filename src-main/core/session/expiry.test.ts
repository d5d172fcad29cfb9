import { describe, expect, it } from 'vitest';
import { expiryStage, untilNextStage } from './expiry.ts';

describe('session expiry', () => {
  const expiresAt = 30_000;
  const warnMs = 5_000;

  it.each([
    [0, 'fresh', 25_000],
    [24_999, 'fresh', 1],
    [25_000, 'expiring', 5_000],
    [29_999, 'expiring', 1],
    [30_000, 'expired', undefined],
    [90_000, 'expired', undefined],
  ] as const)('at %i ms it is %s, and changes next in %s ms', (now, stage, next) => {
    expect(expiryStage(now, expiresAt, warnMs)).toBe(stage);
    expect(untilNextStage(now, expiresAt, warnMs)).toBe(next);
  });
});
