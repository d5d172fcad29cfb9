// The edge of every key hygiene action: reads what was deployed and the kept keys from the overlay's state folder,
// applies a pure edit to the keys, and saves them (sealed, atomically, 0600) for the next deploy to make and carry what it implies.
import path from 'node:path';
import { DEPLOYED_FILE, deployedRecordFile } from '../deployRun/deployedRecord.ts';
import type { DeployedRecord } from '../deployRun/deployedRecord.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { keptOverlayKeys } from '../pki/overlayKeysFile.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import type { Unlocker } from '../secrets/unlocker.ts';

/** What an edit makes of the keys: the new keys (saved only when `changed`) and what to say of it, or why not. */
export type KeysEdit<R> = { ok: true; keys: OverlayKeys; changed: boolean; result: R } | { ok: false; reason: string };

export type Edited<R> = { ok: true; result: R } | { ok: false; reason: string };

/** Where the kept keys are: the overlay's folder in the application's state (overlayStateDir), and what opens them. */
export interface KeptKeysAt {
  stateDir: string;
  secrets: Unlocker;
}

export async function editKeptKeys<R>(at: KeptKeysAt, edit: (keys: OverlayKeys, deployed: DeployedRecord) => KeysEdit<R>, now: () => number = Date.now): Promise<Edited<R>> {
  const { stateDir } = at;
  const read = await deployedRecordFile(path.join(stateDir, DEPLOYED_FILE), now).load();
  if (read.kind === 'missing') return { ok: false, reason: `nothing was deployed to this overlay from ${stateDir}: its keys change once it runs` };
  if (read.kind === 'corrupt') return { ok: false, reason: `what was deployed last could not be read (${read.reason}); kept it as ${read.keptAs}` };
  const keysFile = keptOverlayKeys(path.join(stateDir, KEYS_FILE), at.secrets);
  try {
    const keys = await keysFile.open();
    if (keys === undefined) return { ok: false, reason: `${keysFile.file} does not exist: the overlay's keys are kept where it was deployed from` };
    const edited = edit(keys, read.value);
    if (!edited.ok) return edited;
    if (edited.changed) await keysFile.save(edited.keys);
    return { ok: true, result: edited.result };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
