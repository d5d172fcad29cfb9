// Checks what the login form holds before it is sent: the user and password, and the new password typed twice when one is asked for.
import type { CallInput } from '../../src-shared/contract/contract.ts';
import { overlayCalls } from '../../src-shared/contract/overlayContract.ts';

export type LoginInput = CallInput<'session.login'>;

export interface LoginFields {
  user: string;
  password: string;
  newPassword: string;
  /** The new password again, so a typo does not lock the administrator out. */
  again: string;
}

const LABELS: Record<string, string> = { user: 'The user name', password: 'The password', newPassword: 'The new password' };

export function loginInput(fields: LoginFields, needsNewPassword: boolean): { ok: true; input: LoginInput } | { ok: false; problem: string } {
  const user = fields.user.trim();
  if (user === '') return { ok: false, problem: "Enter the administrator's user name." };
  if (fields.password === '') return { ok: false, problem: 'Enter the password.' };
  if (needsNewPassword) {
    if (fields.newPassword === '') return { ok: false, problem: 'Choose a new password.' };
    if (fields.newPassword !== fields.again) return { ok: false, problem: 'The two new passwords differ: type the same one twice.' };
  }
  const input = { user, password: fields.password, ...(needsNewPassword ? { newPassword: fields.newPassword } : {}) };
  // The contract's own bounds, said without the value: it may be a password.
  const parsed = overlayCalls['session.login'].input.safeParse(input);
  const issue = parsed.error?.issues[0];
  if (issue) {
    const label = LABELS[String(issue.path[0])] ?? 'The login';
    return { ok: false, problem: issue.code === 'too_big' ? `${label} is too long: at most ${String(issue.maximum)} characters.` : `${label}: ${issue.message}` };
  }
  return { ok: true, input };
}
