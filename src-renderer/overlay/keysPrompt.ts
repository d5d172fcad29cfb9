// Whether the overlay's kept keys need the administrator's passphrase before a deploy, and which: pure.
import type { OverlayState } from '../../src-shared/contract/overlayContract.ts';

/** `new`: none is kept yet (or an older plain file): the passphrase chosen now seals them; `theirs`: the one they are sealed under. */
export type KeysNeed = 'new' | 'theirs';

export function keysPrompt(state: OverlayState | null): KeysNeed | null {
  if (state?.session.phase !== 'in' || state.keys === null || state.keys === 'open') return null;
  return state.keys === 'locked' ? 'theirs' : 'new';
}

/** The main side checks again; this spares a round trip for what is plainly wrong. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** Why a typed passphrase cannot be sent, or null. */
export function passphraseProblem(need: KeysNeed, passphrase: string, again: string): string | null {
  if (passphrase.length === 0) return 'type the passphrase';
  if (need === 'theirs') return null;
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return `a new passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`;
  return passphrase === again ? null : 'the two passphrases differ';
}
