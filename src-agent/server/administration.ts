// The administrator's side of a root: login (credentials, rate limit, the overlay-wide lock), its progress, sessions, logout.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AdminCredential } from '../../src-shared/protocol/messages.ts';
import type { AdminLock } from '../lock/adminLock.ts';
import { checkLogin } from '../lock/credentials.ts';
import type { LoginRateLimiter } from '../lock/loginRateLimiter.ts';
import type { StateStore } from '../../src-shared/node/jsonStateFile.ts';
import { Refusal } from './refusal.ts';
import { route } from './route.ts';
import type { Route } from './route.ts';

const LoginRequestSchema = z.strictObject({
  user: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024).optional(),
});

export interface AdministrationOptions {
  lock: AdminLock;
  limiter: LoginRateLimiter;
  credentialStore: StateStore<AdminCredential>;
  log(event: string, fields: Record<string, unknown>): void;
}

export interface Administration {
  /** Reads the stored credential; a corrupt file is kept aside and blocks logins rather than reopening the default password. */
  start(): Promise<void>;
  routes(): Route[];
  /** True for the token of an established session here (and counts as activity against idle expiry). */
  isSession(token: string): boolean;
}

/** Sessions begun before this many are forgotten, oldest first: a bound on what failed or abandoned logins leave behind. */
const MAX_SESSIONS = 64;

export function createAdministration(options: AdministrationOptions): Administration {
  const { lock, limiter } = options;
  let credential: AdminCredential | undefined;
  let blocked: string | undefined;
  /** Session token → the lock's login id. The login id is flooded to every root; the token never leaves this one. */
  const sessions = new Map<string, string>();

  const loginOf = (token: string | undefined) => {
    const loginId = token === undefined ? undefined : sessions.get(token);
    if (loginId === undefined) throw new Refusal('unauthenticated', 'expected the Authorization: Bearer <session token> that login returned');
    return loginId;
  };

  return {
    async start() {
      const read = await options.credentialStore.load();
      if (read.kind === 'ok') credential = read.value;
      if (read.kind === 'corrupt') {
        blocked = `the stored administrator credential is unreadable (${read.reason}; kept as ${read.keptAs}); restore it before logging in`;
        options.log('credential_corrupt', { reason: read.reason, keptAs: read.keptAs });
      }
    },

    routes: () => [
      route({
        method: 'POST',
        path: '/v1/login',
        access: ['public'],
        body: LoginRequestSchema,
        async handle(caller, attempt) {
          const verdict = limiter.check(caller.address);
          if (!verdict.allowed) throw new Refusal('rate_limited', `too many failed logins from ${caller.address}; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s`);
          if (blocked) throw new Refusal('conflict', blocked);
          const check = await checkLogin(credential, { user: attempt.user, password: attempt.password, ...(attempt.newPassword === undefined ? {} : { newPassword: attempt.newPassword }) });
          if (!check.ok) {
            if (check.reason === 'bad_credentials') limiter.failed(caller.address);
            throw new Refusal(check.reason === 'bad_credentials' ? 'unauthenticated' : 'forbidden', check.message);
          }
          limiter.succeeded(caller.address);
          const login = lock.login(check.credential.user);
          if (!login.ok) throw new Refusal('conflict', login.reason);
          // A new password counts only with a login that went ahead: a refused one changes nothing.
          if (check.changed) {
            try {
              await options.credentialStore.save(check.credential);
            } catch (error) {
              lock.logout(login.loginId);
              throw error;
            }
            credential = check.credential;
          }
          const token = randomBytes(32).toString('base64url');
          sessions.set(token, login.loginId);
          while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
          return { json: { session: token, loginId: login.loginId, progress: login.progress } };
        },
      }),
      route({
        method: 'GET',
        path: '/v1/login/progress',
        access: ['public'],
        handle(caller) {
          const progress = lock.progress(loginOf(caller.bearer));
          if (!progress) throw new Refusal('not_found', 'that login is no longer known here');
          return { json: progress };
        },
      }),
      route({
        method: 'POST',
        path: '/v1/logout',
        access: ['session'],
        handle(caller) {
          const token = caller.bearer!;
          lock.logout(loginOf(token));
          sessions.delete(token);
          return { json: { loggedOut: true } };
        },
      }),
    ],

    isSession(token) {
      const loginId = sessions.get(token);
      return loginId !== undefined && lock.touch(loginId);
    },
  };
}
