import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../src-shared/protocol/messages.ts';
import type { JsonFileRead } from '../../src-node/jsonStateFile.ts';
import { beat } from '../heartbeat/heartbeats.testkit.ts';
import { createHeldCredential } from './heldCredential.ts';

const credential = (hash: string) => ({ user: 'administrator', scheme: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: 'A'.repeat(22), hash: hash.repeat(43) }) as const;
const recordOf = (hash: string, changedAt: number, changedBy: number): CredentialRecord => ({ credential: credential(hash), changedAt, changedBy });

function setup(stored: JsonFileRead<CredentialRecord> = { kind: 'missing' }, options: { failSaves?: boolean } = {}) {
  const saved: CredentialRecord[] = [];
  const logged: string[] = [];
  let t = 1_000;
  const held = createHeldCredential({
    store: {
      load: async () => stored,
      save: async (record) => {
        if (options.failSaves) throw new Error('disk full');
        saved.push(record);
      },
    },
    selfRootId: 3,
    now: () => t,
    log: (event) => logged.push(event),
  });
  return { held, saved, logged, setNow: (now: number) => (t = now) };
}

const heartbeat = (origin: string, adminCredential?: CredentialRecord) => beat(origin, 1, adminCredential ? { adminCredential } : {});

describe('createHeldCredential', () => {
  it.each<[string, JsonFileRead<CredentialRecord>, CredentialRecord | undefined, RegExp | undefined]>([
    ['holds the stored record', { kind: 'ok', value: recordOf('B', 5, 1) }, recordOf('B', 5, 1), undefined],
    ['holds none when none is stored', { kind: 'missing' }, undefined, undefined],
    ['blocks logins on a corrupt file, saying where it was kept', { kind: 'corrupt', reason: 'bad json', keptAs: '/x.corrupt' }, undefined, /unreadable \(bad json; kept as \/x\.corrupt\); restore it/],
  ])('%s', async (_case, stored, current, blocked) => {
    const { held } = setup(stored);
    await held.start();
    expect(held.current()).toEqual(current);
    if (blocked) expect(held.blocked()).toMatch(blocked);
    else expect(held.blocked()).toBeUndefined();
  });

  it('learns a newer record, stores it, and unblocks; ignores an older one', async () => {
    const { held, saved, logged } = setup({ kind: 'corrupt', reason: 'x', keptAs: 'y' });
    await held.start();
    held.learn(recordOf('C', 10, 2));
    held.learn(recordOf('D', 9, 1));
    await Promise.resolve();
    expect(held.current()).toEqual(recordOf('C', 10, 2));
    expect(held.blocked()).toBeUndefined();
    expect(saved).toEqual([recordOf('C', 10, 2)]);
    expect(logged).toEqual(['credential_corrupt', 'credential_learned']);
  });

  it('learns from the heartbeats of roots only', async () => {
    const { held } = setup();
    held.learnFrom(heartbeat('leaf-1-1', recordOf('E', 10, 1)));
    held.learnFrom(heartbeat('root-2'));
    expect(held.current()).toBeUndefined();
    held.learnFrom(heartbeat('root-2', recordOf('F', 10, 2)));
    expect(held.current()).toEqual(recordOf('F', 10, 2));
  });

  it('holds a password set here as this root’s, later than the record held even on a lagging clock', async () => {
    const { held, saved } = setup({ kind: 'ok', value: recordOf('B', 5_000, 1) });
    await held.start();
    await held.change(credential('G'));
    expect(held.current()).toEqual(recordOf('G', 5_001, 3));
    expect(saved).toEqual([recordOf('G', 5_001, 3)]);
  });

  it('holds the record from before again when a change cannot be stored', async () => {
    const { held } = setup({ kind: 'ok', value: recordOf('B', 5, 1) }, { failSaves: true });
    await held.start();
    await expect(held.change(credential('G'))).rejects.toThrow('disk full');
    expect(held.current()).toEqual(recordOf('B', 5, 1));
  });

  it('keeps a newer record learned while a failed change was being stored', async () => {
    const { held } = setup({ kind: 'ok', value: recordOf('B', 5, 1) }, { failSaves: true });
    await held.start();
    const changing = held.change(credential('G'));
    held.learn(recordOf('H', 1_000_000, 1));
    await expect(changing).rejects.toThrow('disk full');
    expect(held.current()).toEqual(recordOf('H', 1_000_000, 1));
  });
});
