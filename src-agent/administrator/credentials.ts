// The administrator's password as a salted scrypt hash, and the login check with the seed's default that must be changed.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AdminCredentialSchema } from '../../src-shared/protocol/messages.ts';
import type { AdminCredential } from '../../src-shared/protocol/messages.ts';
import { DEFAULT_ADMINISTRATOR } from '../../src-shared/protocol/defaultAdministrator.ts';

/** The seed's built-in account (§8.1); its password only ever lets the administrator choose a new one. */
export const DEFAULT_ADMIN_USER = DEFAULT_ADMINISTRATOR.user;
const DEFAULT_PASSWORD = DEFAULT_ADMINISTRATOR.password;

export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 1024;
const KEY_LENGTH = 32;

export interface LoginAttempt {
  user: string;
  password: string;
  /** A new password to set; required when logging in with the default. */
  newPassword?: string;
}

export type LoginCheck =
  | { ok: true; credential: AdminCredential; changed: boolean }
  | { ok: false; reason: 'bad_credentials' | 'password_change_required' | 'weak_password'; message: string };

type ScryptParams = { N: number; r: number; p: number };

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  // Node refuses by default above 32 MiB; scrypt needs 128·N·r bytes, so allow twice that.
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(user: string, password: string, params: ScryptParams = SCRYPT_DEFAULTS): Promise<AdminCredential> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return AdminCredentialSchema.parse({ user, scheme: 'scrypt', ...params, salt: salt.toString('base64url'), hash: key.toString('base64url') });
}

export async function verifyPassword(credential: AdminCredential, user: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, Buffer.from(credential.salt, 'base64url'), credential);
  return timingSafeEqual(key, Buffer.from(credential.hash, 'base64url')) && user === credential.user;
}

/** Why a new password is not acceptable, or undefined. */
export function passwordProblem(user: string, password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `the new password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the new password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password === DEFAULT_PASSWORD || password === user) return 'the new password must differ from the default password and from the user name';
  return undefined;
}

const BAD = { ok: false, reason: 'bad_credentials', message: 'wrong user name or password' } as const;

/**
 * Checks a login against the stored credential. With none stored yet, only the seed's default is accepted, and only
 * together with a new password: the result then carries the credential to store. A new password may be set at any login.
 */
export async function checkLogin(stored: AdminCredential | undefined, attempt: LoginAttempt, params: ScryptParams = SCRYPT_DEFAULTS): Promise<LoginCheck> {
  if (stored === undefined) {
    const isDefault = attempt.user === DEFAULT_ADMIN_USER && attempt.password === DEFAULT_PASSWORD;
    if (!isDefault) {
      // As slow as a real check, so timing does not tell whether a credential is set.
      await derive(attempt.password.slice(0, MAX_PASSWORD_LENGTH), randomBytes(16), params);
      return BAD;
    }
    if (attempt.newPassword === undefined) {
      return { ok: false, reason: 'password_change_required', message: 'the default password must be changed at first login: give a new password' };
    }
  } else if (!(await verifyPassword(stored, attempt.user, attempt.password))) {
    return BAD;
  }
  if (stored !== undefined && attempt.newPassword === undefined) return { ok: true, credential: stored, changed: false };
  const user = stored?.user ?? DEFAULT_ADMIN_USER;
  const problem = passwordProblem(user, attempt.newPassword!);
  if (problem !== undefined) return { ok: false, reason: 'weak_password', message: problem };
  return { ok: true, credential: await hashPassword(user, attempt.newPassword!, params), changed: true };
}
