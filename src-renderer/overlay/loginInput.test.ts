import { describe, expect, it } from 'vitest';
import type { LoginFields } from './loginInput.ts';
import { loginInput } from './loginInput.ts';

const fields = (overrides: Partial<LoginFields>): LoginFields => ({ user: ' administrator ', password: 'old', newPassword: '', again: '', ...overrides });

describe('loginInput', () => {
  it('sends the user trimmed and the password as typed', () => {
    expect(loginInput(fields({ password: ' p w ' }), false)).toEqual({ ok: true, input: { user: 'administrator', password: ' p w ' } });
  });

  it('sends the new password only when one is asked for', () => {
    expect(loginInput(fields({ newPassword: 'n3w', again: 'n3w' }), false)).toEqual({ ok: true, input: { user: 'administrator', password: 'old' } });
    expect(loginInput(fields({ newPassword: 'n3w', again: 'n3w' }), true)).toEqual({ ok: true, input: { user: 'administrator', password: 'old', newPassword: 'n3w' } });
  });

  it.each([
    ["Enter the administrator's user name.", fields({ user: '  ' }), false],
    ['Enter the password.', fields({ password: '' }), false],
    ['Choose a new password.', fields({}), true],
    ['The two new passwords differ: type the same one twice.', fields({ newPassword: 'abc', again: 'abd' }), true],
    ['The user name is too long: at most 64 characters.', fields({ user: 'u'.repeat(65) }), false],
    ['The new password is too long: at most 1024 characters.', fields({ newPassword: 'n'.repeat(1025), again: 'n'.repeat(1025) }), true],
    ['The password is too long: at most 1024 characters.', fields({ password: 'p'.repeat(1025) }), false],
  ])('refuses: %s', (problem, given, needsNew) => {
    expect(loginInput(given, needsNew)).toEqual({ ok: false, problem });
  });
});
