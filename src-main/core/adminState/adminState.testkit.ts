// Administrator states for the application's tests: a deployed record of a few nodes, keys sealed under the test
// passphrase (cheaply), and the state a root would keep of them.
import { ADMIN_STATE_VERSION } from '../../../src-shared/protocol/adminState.ts';
import type { KeptAdminState } from '../../../src-shared/protocol/adminState.ts';
import type { SealedEnvelope } from '../../../src-shared/secrets/sealedEnvelope.ts';
import { makeRoot } from '../../../src-shared/topology/arbitraries.testkit.ts';
import type { DeployedRecord } from '../deployRun/deployedRecord.ts';
import type { OverlayKeys } from '../pki/keyTypes.ts';
import { KEYS_PURPOSE } from '../pki/overlayKeysFile.ts';
import type { OsBox } from '../secrets/osBox.ts';
import { CHEAP_COST, TEST_PASSPHRASE } from '../secrets/unlocker.testkit.ts';
import { createVault } from '../secrets/vault.ts';
import { adminStateOf } from './adminStateContent.ts';

const FILE = { digest: 'a'.repeat(64), mode: 0o644 as const, text: 'connections {\n  tunnel-1-2 { secret = [secret] }\n}\n' };

/** What a deploy of topology `topologyId` (two roots, one tunnel) recorded. */
export function sampleRecord(topologyId = 'topo-1', deployedAt = '2026-12-08T10:00:00.000Z'): DeployedRecord {
  return {
    version: 1,
    topologyId,
    deployedAt,
    topology: { roots: [makeRoot(1), makeRoot(2)], tunnels: [{ a: 1, b: 2 }] },
    nodes: { 'root-1': { backend: 'dry-run', files: { 'swanctl.conf': FILE } }, 'root-2': { backend: 'dry-run', files: { 'swanctl.conf': FILE } } },
  };
}

/** Overlay keys in shape (no real key in them), with a tunnel's pre-shared key of `psk`. */
export function sampleKeys(psk = 'the pre-shared key of tunnel-1-2'): OverlayKeys {
  const ca = { certPem: 'certificate', keyPem: 'the control CA key', serial: '01', revokedSerials: [], crlPem: 'crl' };
  return { version: 2, keyType: 'ecdsa-p256', controlCa: ca, roots: {}, leaves: {}, tunnels: { 'tunnel-1-2': { psk } }, clients: {} };
}

/** `keys` sealed as the overlay's keys under `passphrase` (with this machine's wrap when a box is given). */
export async function sealedKeys(keys = sampleKeys(), passphrase = TEST_PASSPHRASE, box?: OsBox): Promise<SealedEnvelope> {
  const vault = await createVault(passphrase, box, CHEAP_COST);
  return vault.seal(KEYS_PURPOSE, new TextEncoder().encode(JSON.stringify(keys)), box ? 'this-machine' : 'portable');
}

/** The state root-2 keeps of `record` and `keys`. */
export async function keptState(record: DeployedRecord, keys: SealedEnvelope, storedAt = Date.parse('2026-12-08T10:00:05Z')): Promise<KeptAdminState> {
  return { version: ADMIN_STATE_VERSION, storedAt, storedBy: 2, state: await adminStateOf(record, keys) };
}
