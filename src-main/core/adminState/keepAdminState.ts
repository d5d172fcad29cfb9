// After a confirmed deploy, the administrator state put at the entry root, which every root keeps: the record just
// saved and the keys as they are kept sealed. Nothing to unlock: the keys go as they are sealed, under the passphrase.
import type { AdminStateHead } from '../../../src-shared/protocol/adminState.ts';
import type { AgentMethods } from '../agentClient/agentClient.ts';
import type { DeployedRecord } from '../deployRun/deployedRecord.ts';
import { readSealedFile } from '../secrets/sealedFile.ts';
import { adminStateOf } from './adminStateContent.ts';

export type Kept = { ok: true; head: AdminStateHead } | { ok: false; reason: string };

/** `keysFile`: the overlay's kept keys, which the deploy saved sealed before it sent anything. */
export async function keepAdminState(entry: Pick<AgentMethods, 'putAdminState'>, keysFile: string, record: DeployedRecord): Promise<Kept> {
  try {
    const keys = await readSealedFile(keysFile);
    if (keys.kind !== 'sealed') return { ok: false, reason: `the overlay's keys are not kept sealed in ${keysFile}` };
    const put = await entry.putAdminState(await adminStateOf(record, keys.envelope));
    return put.ok ? { ok: true, head: put.answer.head } : { ok: false, reason: put.reason };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
