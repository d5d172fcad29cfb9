// The application's restore, at a login to an overlay it keeps nothing of (a new workstation, or one after a lost
// laptop): what was deployed written at once, so the deployed topology shows and the next plan diffs against it, and
// the keys as the roots keep them, sealed under the passphrase alone, which the administrator gives when they are
// needed (keys.unlock, as for keys this machine cannot open by itself).
import { join } from 'node:path';
import type { AdminStateHead } from '../../../src-shared/protocol/adminState.ts';
import type { AgentMethods } from '../agentClient/agentClient.ts';
import { deployedRecordFile } from '../deployRun/deployedRecord.ts';
import type { DeployedRecord } from '../deployRun/deployedRecord.ts';
import { writeSealedFile } from '../secrets/sealedFile.ts';
import { recordOf } from './adminStateContent.ts';
import { fetchAdminState } from './fetchAdminState.ts';
import { keepsAdminState, readLocalAdminState, restoredFiles } from './localAdminState.ts';

export type LoginRestore =
  /** `record.topology` is the deployed topology: the pending one and the deployed one of the application's store. */
  | { kind: 'restored'; record: DeployedRecord; head: AdminStateHead }
  /** This machine keeps a state of its own for the overlay: nothing was asked or written. */
  | { kind: 'kept-here' }
  /** The root keeps none (nothing deployed yet): nothing was written. */
  | { kind: 'none'; reason: string }
  | { kind: 'failed'; reason: string };

export interface LoginRestoreOptions {
  /** The session's requests at the root logged in at (Session.api). */
  api: Pick<AgentMethods, 'readAdminState'>;
  /** This overlay's folder in the application's state (overlayStateDir). */
  overlayDir: string;
  now(): number;
}

export async function restoreAtLogin(options: LoginRestoreOptions): Promise<LoginRestore> {
  if (keepsAdminState(await readLocalAdminState(options.overlayDir))) return { kind: 'kept-here' };
  const fetched = await fetchAdminState(options.api);
  if (fetched.kind !== 'state') return fetched;
  const content = await recordOf(fetched.kept.state);
  if ('problem' in content) return { kind: 'failed', reason: `the overlay's administrator state cannot be used: ${content.problem}` };
  const files = restoredFiles();
  const at = (file: string) => join(options.overlayDir, file);
  await writeSealedFile(at(files.keys), fetched.kept.state.keys);
  await deployedRecordFile(at(files.record), options.now).save(content.record);
  return { kind: 'restored', record: content.record, head: fetched.head };
}
