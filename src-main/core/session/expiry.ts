// When an idle session ends and when to warn of it: pure, from the last activity the application knows of.

/**
 * The agent ends a session idle this long (src-agent/administrator/adminLock.ts DEFAULT_IDLE_MS): an estimate from the
 * application's side, since the agent says only that a session has ended, not when it will.
 */
export const SESSION_IDLE_MS = 30 * 60_000;
/** How long before the end the application warns: time to act (anything asked of the session keeps it alive). */
export const EXPIRY_WARNING_MS = 5 * 60_000;

export type ExpiryStage = 'fresh' | 'expiring' | 'expired';

export function expiryStage(now: number, expiresAt: number, warnMs: number): ExpiryStage {
  if (now >= expiresAt) return 'expired';
  return now >= expiresAt - warnMs ? 'expiring' : 'fresh';
}

/** Milliseconds until the stage changes next; undefined once expired. */
export function untilNextStage(now: number, expiresAt: number, warnMs: number): number | undefined {
  const stage = expiryStage(now, expiresAt, warnMs);
  if (stage === 'expired') return undefined;
  return (stage === 'fresh' ? expiresAt - warnMs : expiresAt) - now;
}
