// The administrator's side of a root: login (credentials, rate limit, the overlay-wide lock), its progress, sessions, logout.
import { randomBytes } from 'node:crypto';
import type { AdminLock } from './adminLock.ts';
import type { CheckBudget } from './checkBudget.ts';
import { checkLogin } from './credentials.ts';
import type { LoginCheck } from './credentials.ts';
import { createConcurrencyCap } from './concurrencyCap.ts';
import { defaultPasswordRefusal } from './credentialRecord.ts';
import type { HeldCredential } from './heldCredential.ts';
import { createKnownSources } from './knownSources.ts';
import type { LoginRateLimiter } from './loginRateLimiter.ts';
import { Refusal } from '../wire/refusal.ts';
import type { JsonHandler } from '../wire/route.ts';

export interface AdministrationOptions {
  lock: AdminLock;
  limiter: LoginRateLimiter;
  /** Password checks a minute over all sources, with a share for sources that logged in here before. */
  budget: CheckBudget;
  /** The credential logins are checked against; a password set at login changes it. */
  credential: HeldCredential;
  /** Roots expected but not heard from since this agent started (the status book's unheardRoots). */
  unheardRoots: () => readonly number[];
  /** Told once a password set here is stored: to send a heartbeat carrying it at once. */
  onCredentialChanged: () => void;
  /** Password checks running at once over all callers; beyond it a login is refused as unavailable. */
  maxPasswordChecks?: number;
  /** Of those, how many only sources that logged in here before may take. */
  reservedPasswordChecks?: number;
  /** How many of the addresses logins succeeded from are remembered as known. */
  knownSources?: number;
}

export interface Administration {
  /** Its routes of the API table. */
  handlers(): { login: JsonHandler<'login'>; loginProgress: JsonHandler<'loginProgress'>; logout: JsonHandler<'logout'> };
  /** True for the token of an established session here (and counts as activity against idle expiry). */
  isSession(token: string): boolean;
  /** The administrator a session token (or a login's, while it waits for the lock) was given to. */
  userOf(token: string): string | undefined;
}

/** Each check is a scrypt on libuv's 4-thread pool: leave threads for the rest of the agent, whoever floods logins. */
const MAX_PASSWORD_CHECKS = 2;
/** One of the two kept for known sources: guessers from elsewhere keep the other busy but never both. */
const RESERVED_PASSWORD_CHECKS = 1;
/** Enough for an administrator's few places (home, office, a VPN's exits) and a few addresses changed since. */
const KNOWN_SOURCES = 16;

/** Sessions begun before this many are forgotten, oldest first: a bound on what failed or abandoned logins leave behind. */
const MAX_SESSIONS = 64;

export function createAdministration(options: AdministrationOptions): Administration {
  const { lock, limiter, budget, credential, maxPasswordChecks = MAX_PASSWORD_CHECKS, reservedPasswordChecks = RESERVED_PASSWORD_CHECKS } = options;
  const passwordChecks = createConcurrencyCap(maxPasswordChecks, reservedPasswordChecks);
  /**
   * Addresses a login succeeded from. They may take the reserved shares of checks, and their lockout is capped short:
   * at one address (a shared NAT) nothing tells the administrator from a guesser, so the rule there is about time —
   * the right password is checked at most a minute after the guessing there pauses, a guesser there gets one check a
   * minute once locked out, and guessers elsewhere cannot use up the reserved share those checks draw on.
   */
  const known = createKnownSources(options.knownSources ?? KNOWN_SOURCES);
  /** Session token → the lock's login id and its user. The login id is flooded to every root; the token never leaves this one. */
  const sessions = new Map<string, { loginId: string; user: string }>();

  const loginOf = (token: string | undefined) => {
    const loginId = token === undefined ? undefined : sessions.get(token)?.loginId;
    if (loginId === undefined) throw new Refusal('unauthenticated', 'expected the Authorization: Bearer <session token> that login returned');
    return loginId;
  };

  return {
    handlers: () => ({
      login: {
        async handle(caller, attempt) {
          const isKnown = known.has(caller.address);
          // Counted as failed before the slow check, so guesses sent together cannot all be checked.
          const verdict = limiter.attempt(caller.address, isKnown);
          if (!verdict.allowed) throw new Refusal('rate_limited', `too many failed logins from ${caller.address}; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`);
          const blocked = credential.blocked();
          if (blocked) {
            verdict.settle('excused');
            throw new Refusal('conflict', blocked);
          }
          const waitForRoots = credential.current() === undefined ? defaultPasswordRefusal(options.unheardRoots()) : undefined;
          if (waitForRoots !== undefined) {
            verdict.settle('excused');
            throw new Refusal('unavailable', waitForRoots);
          }
          const release = passwordChecks.enter(isKnown);
          if (!release) {
            verdict.settle('excused');
            throw new Refusal('unavailable', `the password checks open to ${caller.address} are all running here; try again in a moment`);
          }
          // Taken after the slot, so a login turned away for want of one costs nothing of the budget.
          const budgeted = budget.take(isKnown);
          if (!budgeted.allowed) {
            release();
            verdict.settle('excused');
            throw new Refusal('rate_limited', `too many password checks here from all sources; try again in ${Math.ceil(budgeted.retryAfterMs / 1000)} s`);
          }
          let check: LoginCheck;
          try {
            check = await checkLogin(credential.current()?.credential, { user: attempt.user, password: attempt.password, ...(attempt.newPassword === undefined ? {} : { newPassword: attempt.newPassword }) });
          } catch (error) {
            verdict.settle('excused');
            throw error;
          } finally {
            release();
          }
          if (!check.ok) {
            verdict.settle(check.reason === 'bad_credentials' ? 'failed' : 'excused');
            throw new Refusal(check.reason === 'bad_credentials' ? 'unauthenticated' : 'forbidden', check.message);
          }
          verdict.settle('succeeded');
          budgeted.giveBack();
          known.add(caller.address);
          const login = lock.login(check.credential.user);
          if (!login.ok) throw new Refusal('conflict', login.reason);
          // A new password counts only with a login that went ahead: a refused one changes nothing.
          if (check.changed) {
            try {
              await credential.change(check.credential);
            } catch (error) {
              lock.logout(login.loginId);
              throw error;
            }
            options.onCredentialChanged();
          }
          const token = randomBytes(32).toString('base64url');
          sessions.set(token, { loginId: login.loginId, user: check.credential.user });
          while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
          return { json: { session: token, loginId: login.loginId, progress: login.progress } };
        },
      },
      loginProgress: {
        handle(caller) {
          const progress = lock.progress(loginOf(caller.bearer));
          if (!progress) throw new Refusal('not_found', 'that login is no longer known here');
          return { json: progress };
        },
      },
      logout: {
        handle(caller) {
          const token = caller.bearer!;
          lock.logout(loginOf(token));
          sessions.delete(token);
          return { json: { loggedOut: true } };
        },
      },
    }),

    isSession(token) {
      const loginId = sessions.get(token)?.loginId;
      return loginId !== undefined && lock.touch(loginId);
    },
    userOf: (token) => sessions.get(token)?.user,
  };
}
