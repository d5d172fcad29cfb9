import { describe, expect, it } from 'vitest';
import type { CredentialRecord, FloodMessageOf } from '../../src-shared/protocol/messages.ts';
import { credentialOf, defaultPasswordRefusal, storedCredentialSchema, supersedes } from './credentialRecord.ts';

const CREDENTIAL = { user: 'administrator', scheme: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: 'A'.repeat(22), hash: 'B'.repeat(43) } as const;
const record = (changedAt: number, changedBy: number, hash = 'B'.repeat(43)): CredentialRecord => ({ credential: { ...CREDENTIAL, hash }, changedAt, changedBy });

describe('supersedes', () => {
  it.each([
    ['anything over none', record(0, 9), undefined, true],
    ['a later change', record(2, 9), record(1, 1), true],
    ['an earlier change', record(1, 1), record(2, 9), false],
    ['the same time from a lower root', record(5, 1), record(5, 2), true],
    ['the same time from a higher root', record(5, 2), record(5, 1), false],
    ['the same time and root with a lower hash', record(5, 1, 'A'.repeat(43)), record(5, 1), true],
    ['the very same record', record(5, 1), record(5, 1), false],
  ])('%s: %s', (_, candidate, current, expected) => {
    expect(supersedes(candidate, current)).toBe(expected);
  });

  it('picks the same winner whatever order two roots heard records in', () => {
    const records = [record(5, 2), record(5, 1), record(7, 3), record(4, 1)];
    const merge = (order: CredentialRecord[]) => order.reduce<CredentialRecord | undefined>((held, r) => (supersedes(r, held) ? r : held), undefined);
    expect(merge(records)).toBe(records[2]);
    expect(merge([...records].reverse())).toBe(records[2]);
  });
});

describe('storedCredentialSchema', () => {
  it('reads a record as it is, and a bare credential stored before roots shared theirs as set at time 0 at this root', () => {
    expect(storedCredentialSchema(4).parse(record(9, 2))).toEqual(record(9, 2));
    expect(storedCredentialSchema(4).parse(CREDENTIAL)).toEqual(record(0, 4));
    expect(storedCredentialSchema(4).safeParse({ ...record(9, 2), password: 'x' }).success).toBe(false);
  });
});

describe('defaultPasswordRefusal', () => {
  it('lets the default through when every expected root was heard from', () => {
    expect(defaultPasswordRefusal([])).toBeUndefined();
  });

  it.each([
    [[2], 'root-2 has not been heard from'],
    [[1, 3], 'root-1, root-3 have not been heard from'],
  ])('names the unheard roots %j', (roots, text) => {
    expect(defaultPasswordRefusal(roots)).toContain(text);
    expect(defaultPasswordRefusal(roots)).toContain('default password is refused');
  });
});

describe('credentialOf', () => {
  const heartbeat = (origin: string): FloodMessageOf<'heartbeat'> => ({
    id: `${origin}.1`,
    origin,
    type: 'heartbeat',
    ts: 1,
    sig: 'A'.repeat(86),
    body: { state: 'alive', topologyId: null, intervalMs: 5_000, adminCredential: record(1, 1) },
  });

  it('takes the credential of a root heartbeat and never of a leaf', () => {
    expect(credentialOf(heartbeat('root-2'))).toEqual(record(1, 1));
    expect(credentialOf(heartbeat('leaf-2-1'))).toBeUndefined();
  });
});
