// What the application puts in the administrator state the roots keep, and takes back out: its deployed record
// (gzipped, for the roots carry and keep it whole) and its kept keys as they are sealed, wrapped under the passphrase
// alone; never a key in plain text, and nothing that needs the passphrase to make.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { ADMIN_STATE_VERSION } from '../../../src-shared/protocol/adminState.ts';
import type { AdminState } from '../../../src-shared/protocol/adminState.ts';
import type { SealedEnvelope } from '../../../src-shared/secrets/sealedEnvelope.ts';
import { parseJsonText } from '../../../src-shared/validation/parseJsonText.ts';
import { formatProblem, zodProblems } from '../../../src-shared/validation/zodProblems.ts';
import { DeployedRecordSchema } from '../deployRun/deployedRecord.ts';
import type { DeployedRecord } from '../deployRun/deployedRecord.ts';

const zip = promisify(gzip);
const unzip = promisify(gunzip);

/**
 * The most a deployed record may weigh once unzipped: ten times what one of the largest overlays the roots keep
 * weighs (adminState.ts: 3.4 MiB for 200 nodes), so that a crafted state cannot fill the application's memory.
 */
export const MAX_RECORD_BYTES = 512 * 1024 * 1024;

/** The state of a deploy the application recorded, with the keys it sealed (this machine's wrap left out). */
export async function adminStateOf(record: DeployedRecord, keys: SealedEnvelope): Promise<AdminState> {
  const { osKey: _thisMachineOnly, ...portable } = keys;
  return {
    version: ADMIN_STATE_VERSION,
    topologyId: record.topologyId,
    deployedAt: record.deployedAt,
    deployed: (await zip(JSON.stringify(record))).toString('base64url'),
    keys: portable,
  };
}

/** The deployed record a state carries, or why it cannot be used. */
export async function recordOf(state: AdminState, maxBytes = MAX_RECORD_BYTES): Promise<{ record: DeployedRecord } | { problem: string }> {
  let text: string;
  try {
    text = (await unzip(Buffer.from(state.deployed, 'base64url'), { maxOutputLength: maxBytes })).toString('utf8');
  } catch (error) {
    return { problem: `its deployed record does not unzip (${(error as Error).message})` };
  }
  const json = parseJsonText(text);
  if (!json.ok) return { problem: `its deployed record is not JSON (line ${json.line}, column ${json.column}: ${json.message})` };
  const parsed = DeployedRecordSchema.safeParse(json.value, { reportInput: true });
  if (!parsed.success) return { problem: `its deployed record is not one: ${zodProblems(parsed.error, '(record)').map(formatProblem).slice(0, 3).join('; ')}` };
  if (parsed.data.topologyId !== state.topologyId) return { problem: `its deployed record is of topology ${parsed.data.topologyId}, not ${state.topologyId}` };
  return { record: parsed.data };
}
