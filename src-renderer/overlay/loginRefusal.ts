// Why a login was refused, in plain words for the login view: a headline for the code, the entry root's own words as detail.
import type { LoginRefusal } from '../../src-shared/contract/overlayContract.ts';

export interface RefusalWords {
  headline: string;
  /** The message main gave, when it adds something to the headline. */
  detail: string | null;
}

type Holder = NonNullable<LoginRefusal['holder']>;

/** "alice is logged in at root-2", "Another administrator is logging in at root-1". */
export function holderWords(holder: Holder): string {
  return `${holder.user ?? 'Another administrator'} is ${holder.established ? 'logged in' : 'logging in'} at ${holder.root}`;
}

const HEADLINES: Record<Exclude<LoginRefusal['code'], 'locked'>, string> = {
  'new-password-required': 'This is the first login with the default password: choose a new password for the administrator.',
  'weak-password': 'That new password was refused: choose a longer or less common one.',
  'bad-credentials': 'The user name or the password is wrong.',
  'rate-limited': 'Too many failed logins: wait a little before trying again.',
  unavailable: 'The entry root cannot take a login right now; try again in a moment.',
  unreachable: 'The entry root does not answer: check that it is running and that this machine can reach it.',
  refused: 'The login was refused.',
  'no-overlay': 'No overlay is configured, so there is nothing to log in to.',
};

export function refusalWords(refusal: LoginRefusal): RefusalWords {
  if (refusal.code === 'locked') {
    // Only one administrator at a time may change the overlay: the lock is the seed's guard against two deploys at once.
    const who = refusal.holder ? `${holderWords(refusal.holder)}.` : 'Another administrator holds the administrator lock.';
    return { headline: `${who} Only one administrator at a time can change the overlay: try again once they log out.`, detail: refusal.message };
  }
  // The first-login prompt is the whole story; the entry root's words for it would only repeat it.
  return { headline: HEADLINES[refusal.code], detail: refusal.code === 'new-password-required' ? null : refusal.message };
}
