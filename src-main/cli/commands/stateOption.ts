// The --state option of the commands that keep an overlay's state on this machine (deploy, restore, rotate-psk,
// revoke): one reading of it, so they all find the overlay's folder where deploy keeps it.
import type { OverlayAccess } from '../../../src-shared/overlay/overlayAccess.ts';
import { appStateDir, overlayStateDir } from '../../core/deployRun/overlayState.ts';

export const STATE_OPTION = { state: { type: 'string' } } as const;

/** The overlay's folder in the state folder given by --state, else in the application's default one. */
export function overlayDirOf(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv, access: OverlayAccess): string {
  return overlayStateDir(typeof values.state === 'string' ? values.state : appStateDir(env), access);
}
