import { describe, expect, it } from 'vitest';
import { lockHolder } from './lockHolder.ts';

describe('lockHolder', () => {
  it.each([
    ['administrator "administrator" is logged in at root 2', { user: 'administrator', root: 'root-2', established: true }],
    ['root 1 has the lower id and is logging in administrator "alice" at the same time', { user: 'alice', root: 'root-1', established: false }],
    ['administrator "carol" is logged in at root 17', { user: 'carol', root: 'root-17', established: true }],
    ['administrator "dave" is logging in at root 3', { user: 'dave', root: 'root-3', established: false }],
    ['administrator "bob "the admin" 2" is logged in at root 40', { user: 'bob "the admin" 2', root: 'root-40', established: true }],
  ])('reads %j', (reason, holder) => {
    expect(lockHolder(reason)).toEqual(holder);
  });

  it.each([
    'timed out: roots 2, 3 did not acknowledge within 120 s',
    'the stored administrator credential is unreadable (bad JSON; kept as x); restore it before logging in',
    'logged out',
  ])('finds no holder in %j', (reason) => {
    expect(lockHolder(reason)).toBeUndefined();
  });
});
