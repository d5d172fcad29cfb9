import { describe, expect, it } from 'vitest';
import { parseSince } from './auditSince.ts';

const NOW = Date.parse('2026-12-08T12:00:00Z');

describe('the time --since names', () => {
  it.each([
    ['90s', NOW - 90_000],
    ['30m', NOW - 1_800_000],
    ['12h', NOW - 43_200_000],
    ['7d', NOW - 7 * 86_400_000],
    ['2026-12-08', Date.parse('2026-12-08T00:00:00Z')],
    ['2026-12-08T10:00Z', Date.parse('2026-12-08T10:00:00Z')],
    ['2026-12-08T10:00:30.5+02:00', Date.parse('2026-12-08T08:00:30.500Z')],
    ['999999999d', 0],
  ])('%s is %i', (text, at) => {
    expect(parseSince(text, NOW)).toEqual({ ok: true, at });
  });

  it.each(['yesterday', '10', '5w', '-5m', '2026-13-40', '12/08/2026', ''])('%j names no time', (text) => {
    expect(parseSince(text, NOW)).toEqual({ ok: false, message: expect.stringContaining(`found ${JSON.stringify(text)}`) });
  });
});
