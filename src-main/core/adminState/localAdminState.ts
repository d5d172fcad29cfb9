// What this machine keeps of an overlay, as far as a restore needs to know, read without changing anything: what was
// deployed from here, the keys, the pending topology, a deploy not settled; and what of it differs from a restored state.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTextIfExists } from '../../../src-node/atomicFile.ts';
import { canonicalJson } from '../../../src-shared/protocol/canonicalJson.ts';
import type { SealedEnvelope } from '../../../src-shared/secrets/sealedEnvelope.ts';
import type { Topology } from '../../../src-shared/topology/schemas.ts';
import { parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { DEPLOYED_FILE, DeployedRecordSchema } from '../deployRun/deployedRecord.ts';
import type { DeployedRecord } from '../deployRun/deployedRecord.ts';
import { IN_FLIGHT_FILE } from '../deployRun/deployInFlight.ts';
import { PENDING_FILE } from '../deployRun/overlayState.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import { readSealedFile } from '../secrets/sealedFile.ts';
import { parseState } from '../topologyStore/storedState.ts';

/**
 * The files of an overlay's folder a restore writes, or sets aside when it replaces them. Named when asked: the
 * application's opener, which names the pending topology's file, may import what imports this.
 */
export const restoredFiles = () => ({ keys: KEYS_FILE, record: DEPLOYED_FILE, pending: PENDING_FILE, unsettled: IN_FLIGHT_FILE }) as const;

/** `unreadable`: there is a file, and it is not what it should be. */
export interface LocalAdminState {
  record: DeployedRecord | 'unreadable' | undefined;
  keys: SealedEnvelope | 'plain' | 'unreadable' | undefined;
  pending: Topology | 'unreadable' | undefined;
  /** A deploy posted from here and not settled yet. */
  unsettled: boolean;
}

export async function readLocalAdminState(overlayDir: string): Promise<LocalAdminState> {
  const files = restoredFiles();
  const at = (file: string) => join(overlayDir, file);
  const record = await readRecord(at(files.record));
  const pendingText = await readTextIfExists(at(files.pending));
  const pendingState = pendingText === null ? undefined : parseState(pendingText);
  return {
    record,
    keys: await readSealedFile(at(files.keys)).then(
      (read) => (read.kind === 'missing' ? undefined : read.kind === 'plain' ? 'plain' : read.envelope),
      () => 'unreadable' as const,
    ),
    pending: pendingState === undefined ? undefined : pendingState.ok === true ? pendingState.state.pending : 'unreadable',
    unsettled: existsSync(at(files.unsettled)),
  };
}

/** Whether anything was deployed from here, or keys kept: a pending topology alone was never deployed. */
export function keepsAdminState(local: LocalAdminState): boolean {
  return local.record !== undefined || local.keys !== undefined || local.unsettled;
}

/** How this machine's keys compare with a restored state's, once its passphrase opened those. */
export type KeysComparison = 'none' | 'same' | 'changed' | 'other-passphrase' | 'plain' | 'unreadable';

/** What of the local state differs from the restored one, in words; none when the local one has nothing of its own. */
export function localDifferences(local: LocalAdminState, restored: DeployedRecord, keys: KeysComparison): string[] {
  const files = restoredFiles();
  const differences: string[] = [];
  if (local.unsettled) differences.push(`a deploy posted from here is not settled (${files.unsettled}): let the application or "raincoat deploy" follow it to its end`);
  const { record } = local;
  if (record === 'unreadable') differences.push(`what was deployed from here (${files.record}) cannot be read`);
  else if (record !== undefined && record.topologyId !== restored.topologyId) {
    const which = record.deployedAt > restored.deployedAt ? 'newer' : 'older';
    differences.push(`this machine last deployed topology ${record.topologyId} (at ${record.deployedAt}), ${which} than the overlay's ${restored.topologyId} (at ${restored.deployedAt})`);
  } else if (record !== undefined && canonicalJson(record) !== canonicalJson(restored)) {
    differences.push(`this machine's record of topology ${restored.topologyId} differs from the overlay's`);
  }
  const keysDiffer: Partial<Record<KeysComparison, string>> = {
    changed: "the keys here differ from the overlay's: changed since its last deploy (a rotation or a revocation not deployed yet?)",
    'other-passphrase': 'the keys here are sealed under another passphrase',
    plain: 'the keys here are kept in plain text, as an older Raincoat kept them',
    unreadable: `the keys here (${files.keys}) cannot be read`,
  };
  if (keysDiffer[keys] !== undefined) differences.push(keysDiffer[keys]);
  const { pending } = local;
  if (pending === 'unreadable') differences.push(`the pending topology here (${files.pending}) cannot be read`);
  else if (pending !== undefined && pending.roots.length > 0 && canonicalJson(pending) !== canonicalJson(restored.topology)) {
    differences.push("the pending topology here has changes that the overlay's deployed topology does not");
  }
  return differences;
}

async function readRecord(file: string): Promise<DeployedRecord | 'unreadable' | undefined> {
  const text = await readTextIfExists(file);
  if (text === null) return undefined;
  const json = parseJsonText(text);
  const parsed = json.ok ? DeployedRecordSchema.safeParse(json.value) : undefined;
  return parsed?.success ? parsed.data : 'unreadable';
}
