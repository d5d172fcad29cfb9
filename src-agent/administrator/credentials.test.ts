import { describe, expect, it } from 'vitest';
import { AdminCredentialSchema } from '../../src-shared/protocol/messages.ts';
import { DEFAULT_ADMIN_USER, SCRYPT_DEFAULTS, checkLogin, hashPassword, passwordProblem, verifyPassword } from './credentials.ts';

// The lowest cost the schema allows keeps the tests quick; one test runs the production cost.
const FAST = { N: 2 ** 14, r: 8, p: 1 };

describe('password hashing', () => {
  it('stores a salted scrypt hash, never the password, and verifies it', async () => {
    const credential = await hashPassword('administrator', 'correct horse battery', FAST);
    expect(AdminCredentialSchema.parse(credential)).toEqual(credential);
    expect(JSON.stringify(credential)).not.toContain('correct horse');
    expect(await verifyPassword(credential, 'administrator', 'correct horse battery')).toBe(true);
    expect(await verifyPassword(credential, 'administrator', 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(credential, 'admin', 'correct horse battery')).toBe(false);
  });

  it('refuses a credential whose check would need more than 64 MiB: roots take credentials from one another', async () => {
    const credential = await hashPassword('administrator', 'correct horse battery', FAST);
    expect(AdminCredentialSchema.safeParse({ ...credential, N: 2 ** 16, r: 8 }).success).toBe(true);
    const costly = AdminCredentialSchema.safeParse({ ...credential, N: 2 ** 20, r: 32 });
    expect(costly.success).toBe(false);
    expect(costly.error?.issues[0]?.message).toMatch(/at most 64 MiB/);
  });

  it('salts every hash differently', async () => {
    const a = await hashPassword('administrator', 'same password here', FAST);
    const b = await hashPassword('administrator', 'same password here', FAST);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('uses a production cost of N = 2^15 by default', async () => {
    const credential = await hashPassword('administrator', 'correct horse battery');
    expect(credential).toMatchObject({ scheme: 'scrypt', ...SCRYPT_DEFAULTS });
    expect(await verifyPassword(credential, 'administrator', 'correct horse battery')).toBe(true);
  });
});

describe('checkLogin', () => {
  const defaults = { user: DEFAULT_ADMIN_USER, password: 'makeitrain' };

  it('at first login the default works only to set a new password', async () => {
    expect(await checkLogin(undefined, defaults, FAST)).toMatchObject({ ok: false, reason: 'password_change_required' });
    expect(await checkLogin(undefined, { ...defaults, newPassword: 'short' }, FAST)).toMatchObject({ ok: false, reason: 'weak_password' });
    expect(await checkLogin(undefined, { ...defaults, newPassword: 'makeitrain' }, FAST)).toMatchObject({ ok: false, reason: 'weak_password' });
    const result = await checkLogin(undefined, { ...defaults, newPassword: 'a much better one' }, FAST);
    expect(result).toMatchObject({ ok: true, changed: true, credential: { user: DEFAULT_ADMIN_USER } });
    if (!result.ok) return;
    expect(await checkLogin(result.credential, defaults, FAST)).toMatchObject({ ok: false, reason: 'bad_credentials' });
    expect(await checkLogin(result.credential, { user: DEFAULT_ADMIN_USER, password: 'a much better one' }, FAST)).toEqual({ ok: true, credential: result.credential, changed: false });
  });

  it.each([
    ['a wrong password', { user: DEFAULT_ADMIN_USER, password: 'makeitsnow' }],
    ['a wrong user', { user: 'root', password: 'makeitrain' }],
  ])('with nothing stored refuses %s', async (_, attempt) => {
    expect(await checkLogin(undefined, { ...attempt, newPassword: 'a much better one' }, FAST)).toMatchObject({ ok: false, reason: 'bad_credentials' });
  });

  it('lets a logged-in administrator change the password', async () => {
    const stored = await hashPassword('administrator', 'first password', FAST);
    const result = await checkLogin(stored, { user: 'administrator', password: 'first password', newPassword: 'second password' }, FAST);
    expect(result).toMatchObject({ ok: true, changed: true });
    if (result.ok) expect(await verifyPassword(result.credential, 'administrator', 'second password')).toBe(true);
  });

  it.each([
    ['123456789', /at least 10/],
    ['x'.repeat(1025), /at most 1024/],
    ['makeitrain', /differ/],
    ['administrator', /differ/],
    ['long enough now', undefined],
  ])('new password %s: %s', (password, problem) => {
    const found = passwordProblem('administrator', password);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
