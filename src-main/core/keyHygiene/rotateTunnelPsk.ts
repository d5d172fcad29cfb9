// `rotate-psk` at its edges: reads what was deployed and the kept keys from the overlay's state folder, and saves the
// keys without the tunnel's pre-shared key (atomically, 0600) so that the next deploy makes and carries a new one.
import path from 'node:path';
import { DEPLOYED_FILE, deployedRecordFile } from '../deployRun/deployedRecord.ts';
import { loadOverlayKeys, saveOverlayKeys } from '../pki/overlayKeysFile.ts';
import { KEYS_FILE } from '../renderOverlay/renderOverlay.ts';
import { markPskForRotation } from './rotatePsk.ts';

export type RotateResult = { ok: true; tunnel: string; alreadyMarked: boolean } | { ok: false; reason: string };

/** `stateDir` is the overlay's folder in the application's state (overlayStateDir). */
export async function rotateTunnelPsk(stateDir: string, a: number, b: number, now: () => number = Date.now): Promise<RotateResult> {
  const read = await deployedRecordFile(path.join(stateDir, DEPLOYED_FILE), now).load();
  if (read.kind === 'missing') return { ok: false, reason: `nothing was deployed to this overlay from ${stateDir}: a tunnel's key is rotated once the tunnel runs` };
  if (read.kind === 'corrupt') return { ok: false, reason: `what was deployed last could not be read (${read.reason}); kept it as ${read.keptAs}` };
  const keysFile = path.join(stateDir, KEYS_FILE);
  let keys;
  try {
    keys = await loadOverlayKeys(keysFile);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (keys === undefined) return { ok: false, reason: `${keysFile} does not exist: the overlay's keys are kept where it was deployed from` };
  const rotation = markPskForRotation(keys, read.value.topology.tunnels, a, b);
  if (!rotation.ok) return rotation;
  if (!rotation.alreadyMarked) await saveOverlayKeys(keysFile, rotation.keys);
  return { ok: true, tunnel: rotation.tunnel, alreadyMarked: rotation.alreadyMarked };
}
