// What the application shows for the overlay's session: the editor or the login view, and the administrator lock's progress while logging in.
import type { OverlayState, SessionView } from '../../src-shared/contract/overlayContract.ts';

/**
 * - `connecting`: main has not answered yet;
 * - `login`: an overlay is configured and there is no session (the form) or one is being made (the lock's progress);
 * - `editor`: logged in, or no overlay at all (the topology can be drawn without one).
 */
export type Screen = 'connecting' | 'login' | 'editor';

export function screenOf(state: OverlayState | null): Screen {
  if (state === null) return 'connecting';
  return state.overlay !== null && state.session.phase !== 'in' ? 'login' : 'editor';
}

export interface LockProgress {
  headline: string;
  /** Every root: those that agreed in the order they did, then those still awaited. */
  roots: { node: string; agreed: boolean }[];
}

/** The seed's wait page: each root must agree that this administrator holds the lock before anything can change. */
export function lockProgress(session: Extract<SessionView, { phase: 'logging-in' }>): LockProgress {
  if (session.expected === 0) return { headline: `Checking the user name and password at ${session.entry}…`, roots: [] };
  const agreed = new Set(session.acknowledgedBy);
  return {
    headline: `${session.acknowledged} of ${session.expected} roots agree that ${session.user} holds the administrator lock`,
    roots: [...session.acknowledgedBy.map((node) => ({ node, agreed: true })), ...session.waitingFor.filter((n) => !agreed.has(n)).map((node) => ({ node, agreed: false }))],
  };
}
