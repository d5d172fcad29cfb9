// Where the application keeps what it knows of each overlay it deploys to (its keys, what was deployed): a folder per
// overlay in the application's state folder, named for the overlay and its control CA, so a new overlay of the same
// name (a sandbox brought up again) never plans against another's record.
import { X509Certificate } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';

/** $XDG_STATE_HOME/raincoat, else ~/.local/state/raincoat: beside the sandbox's folder (XDG: state that outlives a run). */
export function appStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'raincoat');
}

/** `<stateDir>/overlays/<name>-<12 hex digits of the control CA's SHA-256 fingerprint>`. */
export function overlayStateDir(stateDir: string, access: OverlayAccess): string {
  const fingerprint = new X509Certificate(access.controlCaPem).fingerprint256.replaceAll(':', '').slice(0, 12).toLowerCase();
  const name = access.name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
  return join(stateDir, 'overlays', `${name}-${fingerprint}`);
}

/** The pending topology's file: in each overlay's folder, and in the application's data folder with no overlay. */
export const PENDING_FILE = 'pending-topology.json';
