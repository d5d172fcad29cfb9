import { describe, expect, it } from 'vitest';
import { importOpeningKey } from '../../src-shared/crypto/seal.ts';
import type { Backup } from '../backends/types.ts';
import { backupSeal } from './sealedBackup.ts';

const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nthe key of the configuration before\n-----END PRIVATE KEY-----\n';
const BACKUP: Backup = { backend: 'vyos', files: { 'ca.key': { content: KEY_PEM, mode: 0o600 } }, configBoot: 'interfaces { openvpn vtun0 { shared-secret-key "k" } }' };

async function openingKey() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return importOpeningKey(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)));
}
const key = await openingKey();

describe('backupSeal', () => {
  it('seals a backup to the node’s own key, with nothing of it in clear, and opens it as it was', async () => {
    const seal = backupSeal('root-1', await openingKey());
    const sealed = await seal.seal(BACKUP);
    const text = JSON.stringify(sealed);
    for (const clear of ['PRIVATE KEY', 'the key of the configuration', 'shared-secret-key', 'ca.key']) expect(text).not.toContain(clear);
    expect(await seal.open(sealed)).toEqual(BACKUP);
  });

  it.each([
    ['another node’s name', async () => backupSeal('root-2', key)],
    ['another key', async () => backupSeal('root-1', await openingKey())],
  ])('does not open with %s', async (_name, other) => {
    const sealed = await backupSeal('root-1', key).seal(BACKUP);
    await expect((await other()).open(sealed)).rejects.toThrow(/sealed to another key|does not open/);
  });
});
