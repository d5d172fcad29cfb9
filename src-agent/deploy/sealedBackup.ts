// The way back to the last confirmed configuration, as the deploy state keeps it on disk: the backend's backup sealed to
// this node's own identity key, as a package's secrets are, so that no key of that configuration lies on disk in clear.
import { utf8DecodeStrict } from '../../src-shared/crypto/base64.ts';
import { openSealed, SealedBlobSchema, sealSecret, type OpeningKey, type SealedBlob, type SealingKey } from '../../src-shared/crypto/seal.ts';
import { BackupSchema, type Backup } from '../backends/types.ts';

export const SealedBackupSchema = SealedBlobSchema;
export type SealedBackup = SealedBlob;

export interface BackupSeal {
  seal(backup: Backup): Promise<SealedBackup>;
  /** Throws when the backup was sealed for another node or key, or was damaged. */
  open(sealed: SealedBackup): Promise<Backup>;
}

/** Seals to and opens with `key`, the identity key of `nodeName`; the context keeps a backup from passing for a package's secret. */
export function backupSeal(nodeName: string, key: OpeningKey): BackupSeal {
  const context = `raincoat backup ${nodeName}`;
  let own: Promise<SealingKey> | undefined;
  const ownKey = () =>
    (own ??= crypto.subtle
      .importKey('raw', key.publicRaw, { name: 'ECDH', namedCurve: 'P-256' }, true, [])
      .then((publicKey) => ({ publicKey, keyId: key.keyId, raw: key.publicRaw })));
  return {
    seal: async (backup) => sealSecret(JSON.stringify(backup), await ownKey(), context),
    open: async (sealed) => BackupSchema.parse(JSON.parse(utf8DecodeStrict(await openSealed(sealed, key, context)))),
  };
}
