import { describe, expect, it } from 'vitest';
import type { LoginRefusal } from '../../src-shared/contract/overlayContract.ts';
import { holderWords, refusalWords } from './loginRefusal.ts';

describe('refusalWords', () => {
  it.each<[LoginRefusal, { headline: string; detail: string | null }]>([
    [
      { code: 'new-password-required', message: 'the default password only lets you choose a new one' },
      { headline: 'This is the first login with the default password: choose a new password for the administrator.', detail: null },
    ],
    [{ code: 'bad-credentials', message: 'invalid credentials' }, { headline: 'The user name or the password is wrong.', detail: 'invalid credentials' }],
    [
      { code: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:4000' },
      { headline: 'The entry root does not answer: check that it is running and that this machine can reach it.', detail: 'connect ECONNREFUSED 127.0.0.1:4000' },
    ],
    [
      { code: 'locked', message: 'administrator "alice" is logged in at root 2', holder: { user: 'alice', root: 'root-2', established: true } },
      {
        headline: 'alice is logged in at root-2. Only one administrator at a time can change the overlay: try again once they log out.',
        detail: 'administrator "alice" is logged in at root 2',
      },
    ],
    [
      { code: 'locked', message: 'the lock is taken' },
      { headline: 'Another administrator holds the administrator lock. Only one administrator at a time can change the overlay: try again once they log out.', detail: 'the lock is taken' },
    ],
  ])('%#: %j', (refusal, want) => {
    expect(refusalWords(refusal)).toEqual(want);
  });
});

describe('holderWords', () => {
  it.each([
    [{ user: 'bob', root: 'root-1', established: false }, 'bob is logging in at root-1'],
    [{ root: 'root-3', established: true }, 'Another administrator is logged in at root-3'],
  ])('%j reads %j', (holder, want) => {
    expect(holderWords(holder)).toBe(want);
  });
});
