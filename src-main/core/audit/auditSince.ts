// The time `raincoat audit --since` names, pure: an ISO 8601 date or time, or a duration back from now.

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Epoch ms, or why `text` names no time: `2026-12-08`, `2026-12-08T10:00Z`, or `90s`, `30m`, `12h`, `7d` before `now`. */
export function parseSince(text: string, now: number): { ok: true; at: number } | { ok: false; message: string } {
  const duration = /^(\d{1,9})([smhd])$/.exec(text);
  if (duration) return { ok: true, at: Math.max(0, now - Number(duration[1]) * UNIT_MS[duration[2]!]!) };
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(at) || at < 0) return { ok: false, message: `expected an ISO 8601 time (2026-12-08, 2026-12-08T10:00Z) or a duration back from now (90s, 30m, 12h, 7d), found ${JSON.stringify(text)}` };
  return { ok: true, at };
}
