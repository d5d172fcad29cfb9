// Restores an overlay's administrator state on this machine from what its roots keep, as a new workstation does: the
// passphrase must open the keys before anything is written; then the keys (sealed again for this machine), what was
// deployed (the next plan diffs against it) and the pending topology (the deployed one). A local state of its own is
// replaced only when told, and kept aside.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { keepAside, writeFileAtomic } from '../../../src-node/atomicFile.ts';
import type { KeptAdminState } from '../../../src-shared/protocol/adminState.ts';
import { canonicalJson } from '../../../src-shared/protocol/canonicalJson.ts';
import { deployedRecordFile } from '../deployRun/deployedRecord.ts';
import type { DeployedRecord } from '../deployRun/deployedRecord.ts';
import { KEYS_PURPOSE } from '../pki/overlayKeysFile.ts';
import { writeSealedFile } from '../secrets/sealedFile.ts';
import type { Unlocker } from '../secrets/unlocker.ts';
import type { Vault } from '../secrets/vault.ts';
import { serializeState } from '../topologyStore/storedState.ts';
import { recordOf } from './adminStateContent.ts';
import { localDifferences, readLocalAdminState, restoredFiles } from './localAdminState.ts';
import type { KeysComparison, LocalAdminState } from './localAdminState.ts';

export interface RestoreOptions {
  /** The state a root keeps (fetchAdminState). */
  kept: KeptAdminState;
  /** This overlay's folder in the application's state (overlayStateDir). */
  overlayDir: string;
  /** Opens the state's keys with the administrator's passphrase, and seals them again for this machine. */
  secrets: Unlocker;
  /** Replace a local state that differs (its files kept aside). */
  force: boolean;
  now(): number;
}

export type Restored =
  /** `setAside`: the files replaced, where they are now. */
  | { kind: 'restored'; record: DeployedRecord; setAside: string[] }
  /** This machine has that very state already: nothing was written. */
  | { kind: 'same'; record: DeployedRecord }
  /** Nothing was written: why (a wrong passphrase, a state that cannot be used, a local state that differs). */
  | { kind: 'refused'; problems: string[] };

export async function restoreAdminState(options: RestoreOptions): Promise<Restored> {
  const { overlayDir, now } = options;
  const content = await recordOf(options.kept.state);
  if ('problem' in content) return { kind: 'refused', problems: [`the overlay's administrator state cannot be used: ${content.problem}`] };
  const { record } = content;
  const envelope = options.kept.state.keys;
  const opened = await options.secrets.vaultFor(envelope, KEYS_PURPOSE);
  const keys = opened.ok ? opened.vault.open(envelope, KEYS_PURPOSE) : undefined;
  if (!opened.ok) return { kind: 'refused', problems: [opened.message] };
  if (keys === undefined) return { kind: 'refused', problems: ["the overlay's sealed keys do not authenticate: they were changed or damaged; nothing was changed"] };

  const local = await readLocalAdminState(overlayDir);
  const comparison = compareKeys(local.keys, opened.vault, keys);
  const differences = localDifferences(local, record, comparison);
  if (differences.length > 0 && !options.force) return { kind: 'refused', problems: [...differences, 'nothing was changed: --force replaces them, keeping the files replaced aside'] };
  if (differences.length === 0 && comparison === 'same' && local.record !== undefined && local.pending !== undefined) return { kind: 'same', record };

  const files = restoredFiles();
  const at = (file: string) => join(overlayDir, file);
  const setAside = differences.length === 0 ? [] : await setAsideReplaced(at, now());
  // The keys first: a record without its keys would plan a deploy that makes every key anew.
  await writeSealedFile(at(files.keys), await opened.vault.seal(KEYS_PURPOSE, keys, 'this-machine'));
  await deployedRecordFile(at(files.record), now).save(record);
  await writeFileAtomic(at(files.pending), serializeState({ pending: record.topology, deployed: record.topology }), 0o600);
  return { kind: 'restored', record, setAside };
}

/** This machine's keys against the state's, which `vault` opened as `restored`: by what they hold, however written. */
function compareKeys(local: LocalAdminState['keys'], vault: Vault, restored: Uint8Array): KeysComparison {
  if (local === undefined || local === 'plain' || local === 'unreadable') return local ?? 'none';
  if (!vault.holds(local)) return 'other-passphrase';
  const opened = vault.open(local, KEYS_PURPOSE);
  const held = (bytes: Uint8Array) => canonicalJson(JSON.parse(Buffer.from(bytes).toString('utf8')));
  try {
    return opened !== undefined && held(opened) === held(restored) ? 'same' : opened === undefined ? 'unreadable' : 'changed';
  } catch {
    return 'unreadable';
  }
}

/** Every file a restore writes (and an unsettled deploy's) that is there, kept aside as `<file>.replaced-<time>`. */
async function setAsideReplaced(at: (file: string) => string, now: number): Promise<string[]> {
  const aside: string[] = [];
  for (const file of Object.values(restoredFiles())) if (existsSync(at(file))) aside.push(await keepAside(at(file), now, 'replaced'));
  return aside;
}
